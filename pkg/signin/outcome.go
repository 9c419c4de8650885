package signin

// Outcome classifies a sign-in by its status.errorCode.
type Outcome uint8

// Outcomes.
const (
	Success Outcome = iota
	Failure
	Interrupted
)

var outcomeNames = [...]string{"success", "failure", "interrupted"}

// String returns "success", "failure" or "interrupted".
func (o Outcome) String() string { return outcomeNames[o] }

// interruptCodes are the error codes that mean "waiting on the user", not "failed":
// the list Microsoft's own sign-in workbook treats as interrupts, plus the MFA
// prompts 50076 and 50079 (README, "Query reference"). Every other non-zero code is a failure.
var interruptCodes = map[int32]struct{}{
	16000: {}, 16001: {}, 16003: {}, 50055: {}, 50058: {}, 50059: {}, 50072: {},
	50074: {}, 50076: {}, 50079: {}, 50125: {}, 50127: {}, 50129: {}, 50140: {},
	50143: {}, 50144: {}, 51006: {}, 52004: {}, 65001: {}, 81010: {}, 81012: {},
	81014: {},
}

// OutcomeOf classifies an error code.
func OutcomeOf(errorCode int32) Outcome {
	if errorCode == 0 {
		return Success
	}
	if _, ok := interruptCodes[errorCode]; ok {
		return Interrupted
	}
	return Failure
}

// Outcome classifies the event.
func (e *Event) Outcome() Outcome { return OutcomeOf(e.ErrorCode) }
