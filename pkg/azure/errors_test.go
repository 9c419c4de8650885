package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type safeErr struct{}

func (safeErr) Error() string { return "table T is missing" }
func (safeErr) SafeText()     {}

type chattyErr struct{ text string }

func (e chattyErr) Error() string { return e.text }

func TestRedactKeepsCategoryAndSafeErrors(t *testing.T) {
	const secret = "s3cr3t-value-0123"
	cause := fmt.Errorf("%w: %w: %w", &Error{Service: "log analytics", StatusCode: 401, Message: "bad token " + secret, Kind: ErrUnauthorized}, safeErr{}, chattyErr{secret})
	err := Redact(cause, secret, "short")
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("unexpected text %q", err)
	}
	if !errors.Is(err, ErrUnauthorized) || CategoryOf(err) != BadCredential {
		t.Fatalf("the redacted error lost its category: %v", CategoryOf(err))
	}
	var s safeErr
	if !errors.As(err, &s) {
		t.Fatal("a Safe error is no longer reachable")
	}
	var c chattyErr
	var e *Error
	if errors.As(err, &c) || errors.As(err, &e) {
		t.Fatal("an error carrying the secret is reachable through the redacted one")
	}
	if Redact(cause) != cause || Redact(nil, secret) != nil {
		t.Fatal("an error without the secret must be returned as is")
	}
}

func TestCategoryOf(t *testing.T) {
	f := func(err error, want Category) {
		t.Helper()
		if got := CategoryOf(err); got != want {
			t.Fatalf("%v: category %d; want %d", err, got, want)
		}
	}
	f(&Error{Kind: ErrUnauthorized}, BadCredential)
	f(fmt.Errorf("x: %w", &Error{Kind: ErrNoPremiumLicense}), NoLicence)
	f(&Error{Kind: fmt.Errorf("workspace %w", ErrNotFound)}, Missing)
	f(fmt.Errorf("giving up: %w", &Error{Kind: ErrTimeout}), Unavailable)
	f(fmt.Errorf("%w: dial", ErrNetwork), Unreachable)
	f(&Error{}, Other)
	f(errors.New("x"), Other)
}

func TestRetrier(t *testing.T) {
	var reasons []string
	var slept []time.Duration
	r := NewRetrier(context.Background(), 2, 0, func(r string) { reasons = append(reasons, r) },
		func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil })
	boom := errors.New("boom")
	if err := r.Next(context.Background(), &Failure{Err: boom, Reason: ReasonUnauthorized}); err != nil {
		t.Fatalf("a first refused token: %v; want a retry at once", err)
	}
	if err := r.Next(context.Background(), &Failure{Err: boom, Reason: ReasonUnauthorized}); err != boom {
		t.Fatalf("a second refused token: %v; want it returned", err)
	}
	if err := r.Next(context.Background(), &Failure{Err: boom, Reason: ReasonThrottled, RetryAfter: 7 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := r.Next(context.Background(), &Failure{Err: boom, Reason: ReasonServer}); err != nil {
		t.Fatal(err)
	}
	if err := r.Next(context.Background(), &Failure{Err: boom, Reason: ReasonServer}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "giving up after 2 retries") {
		t.Fatalf("past MaxRetries: %v", err)
	}
	if err := r.Next(context.Background(), &Failure{Err: boom}); err != boom {
		t.Fatalf("a failure no retry can help: %v", err)
	}
	if len(slept) != 2 || slept[0] != 7*time.Second || strings.Join(reasons, ",") != "unauthorized,throttled,server" {
		t.Fatalf("slept %v, reasons %v; want Retry-After first, then the backoff", slept, reasons)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	r = NewRetrier(ctx, 5, 0, func(string) {}, nil)
	if err := r.Next(ctx, &Failure{Err: boom, Reason: ReasonThrottled, RetryAfter: time.Minute}); err == nil || !strings.Contains(err.Error(), "past the request deadline") {
		t.Fatalf("a wait past the deadline: %v", err)
	}
}
