package query

import "errors"

// Errors of the user's making: the query names something the contract does not have.
var (
	ErrInvalidQuery = errors.New("invalid query")
	ErrUnsupported  = errors.New("unsupported query")
)
