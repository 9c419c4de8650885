package graph

import (
	"errors"
	"strings"
	"testing"
)

// TestAuthErrorFindsNetworkCauseOnLaterLines: azidentity puts the transport
// failure below its own first line; it must still read as a network error.
func TestAuthErrorFindsNetworkCauseOnLaterLines(t *testing.T) {
	raw := errors.New("ClientSecretCredential: authentication failed\nPost \"https://login.example/t/oauth2/v2.0/token\": dial tcp 127.0.0.1:1: connect: connection refused\nTo troubleshoot, visit https://aka.ms/azsdk/go/identity/troubleshoot")
	err := authError(raw, "login.example", "s3cret")
	if !errors.Is(err, ErrNetwork) || errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("unexpected error %v; want a network error naming the cause", err)
	}
	err = authError(errors.New("ClientSecretCredential: AADSTS7000215: Invalid client secret s3cret provided\nmore"), "login.example", "s3cret")
	if !errors.Is(err, ErrUnauthorized) || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("unexpected error %v; want ErrUnauthorized without the secret", err)
	}
}
