package synth

// Sign-in statuses with Entra ID's real error codes and failure reasons (the
// texts the sign-in logs show, placeholders dropped). Records point at these
// shared values; nothing writes to them.

func strPtr(s string) *string { return &s }

// Successes. Graph beta reports "Other." as the failure reason of a success.
var (
	stSuccess    = &Status{ErrorCode: 0, FailureReason: "Other."}
	stSuccessMFA = &Status{ErrorCode: 0, FailureReason: "Other.", AdditionalDetails: strPtr("MFA completed in Azure AD")}
	stSuccessSSO = &Status{ErrorCode: 0, FailureReason: "Other.", AdditionalDetails: strPtr("MFA requirement satisfied by claim in the token")}
)

// User sign-in failures and interrupts.
var (
	st50126 = &Status{ErrorCode: 50126, FailureReason: "Error validating credentials due to invalid username or password.",
		AdditionalDetails: strPtr("The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.")}
	st50074 = &Status{ErrorCode: 50074, FailureReason: "Strong Authentication is required."}
	st50076 = &Status{ErrorCode: 50076, FailureReason: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access."}
	st50140 = &Status{ErrorCode: 50140, FailureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in."}
	st53003 = &Status{ErrorCode: 53003, FailureReason: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."}
	st53000 = &Status{ErrorCode: 53000, FailureReason: "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant. The user must enroll their device with an approved MDM provider like Intune."}
	st50053 = &Status{ErrorCode: 50053, FailureReason: "Account is locked because user tried to sign in too many times with an incorrect user ID or password."}
	st50055 = &Status{ErrorCode: 50055, FailureReason: "The password is expired."}
	st50057 = &Status{ErrorCode: 50057, FailureReason: "User account is disabled. The account has been disabled by an administrator."}
	st50034 = &Status{ErrorCode: 50034, FailureReason: "The user account does not exist in the directory. To sign into this application, the account must be added to the directory."}
	st50097 = &Status{ErrorCode: 50097, FailureReason: "Device authentication is required."}
)

// MFA denied by the user (only the injected MFADenied and MFAFatigue
// incidents have these): 500121 with what the user did in additionalDetails.
var (
	st500121Declined = &Status{ErrorCode: 500121, FailureReason: "Authentication failed during strong authentication request.",
		AdditionalDetails: strPtr("MFA denied; user declined the authentication")}
	st500121Fraud = &Status{ErrorCode: 500121, FailureReason: "Authentication failed during strong authentication request.",
		AdditionalDetails: strPtr("MFA denied; Phone App Reported Fraud")}
	st500121NoResponse = &Status{ErrorCode: 500121, FailureReason: "Authentication failed during strong authentication request.",
		AdditionalDetails: strPtr("MFA denied; user did not respond to mobile app notification")}
)

// Token refresh failures: a session that hits one keeps failing until the user
// signs in again.
var (
	st50173  = &Status{ErrorCode: 50173, FailureReason: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password."}
	st700082 = &Status{ErrorCode: 700082, FailureReason: "The refresh token has expired due to inactivity."}
	st50133  = &Status{ErrorCode: 50133, FailureReason: "Session is invalid due to expiration or recent password change."}
	st70044  = &Status{ErrorCode: 70044, FailureReason: "The session has expired or is invalid due to sign-in frequency checks by conditional access."}
)

// Workload credential failures.
var (
	st7000215 = &Status{ErrorCode: 7000215, FailureReason: "Invalid client secret is provided."}
	st7000222 = &Status{ErrorCode: 7000222, FailureReason: "The provided client secret keys are expired. Visit the Azure portal to create new keys for your app, or consider using certificate credentials for added security."}
	st700027  = &Status{ErrorCode: 700027, FailureReason: "Client assertion failed signature validation."}
	st70021   = &Status{ErrorCode: 70021, FailureReason: "No matching federated identity record found for presented assertion."}
	st700016  = &Status{ErrorCode: 700016, FailureReason: "Application with identifier was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."}
	st500011  = &Status{ErrorCode: 500011, FailureReason: "The resource principal was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant."}
)

// The results of an interactive sign-in attempt and their shares: about 88%
// succeed, about 5% fail and the rest are interrupts that the user completes a
// few seconds later.
var (
	outcomeStatuses = []*Status{stSuccess, st50140, st50074, st50076, st50126, st53003, st53000, st50097, st50055, st50053, st50057}
	outcomeWeights  = []float64{87.8, 2.5, 2.0, 1.0, 4.0, 1.0, 0.4, 0.3, 0.2, 0.1, 0.1}
)

// refreshFailures are the statuses of a non-interactive session that went bad.
var refreshFailures = []*Status{st50173, st700082, st50133, st70044, st50076}
