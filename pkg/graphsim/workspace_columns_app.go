package graphsim

// The workload tables have no user or device columns and hold every object
// as JSON text; both carry the credential a service principal used, and the
// managed-identity table the identity's type and resource.

func servicePrincipalColumns() []laColumn {
	props := append(workloadProperties(),
		colProp("AutonomousSystemNumber", func(si *graphSignIn) anyText { return si.AutonomousSystemNumber }),
	)
	return assemble("AADServicePrincipalSignInLogs", laEnvelope(workloadIdentity()), props)
}

func managedIdentityColumns() []laColumn {
	props := append(workloadProperties(),
		colSerialized("ManagedServiceIdentity", false, func(si *graphSignIn) []byte { return si.ManagedServiceIdentity }),
	)
	return assemble("AADManagedIdentitySignInLogs", laEnvelope(workloadIdentity()), props)
}

// workloadIdentity is Identity in the workload tables: the service
// principal's name.
func workloadIdentity() laColumn {
	return colProp("Identity", func(si *graphSignIn) anyText { return si.ServicePrincipalName })
}

func workloadProperties() []laColumn {
	return append(sharedProperties(false),
		colProp("ServicePrincipalCredentialKeyId", func(si *graphSignIn) anyText { return si.ServicePrincipalCredentialKeyID }),
		colProp("ServicePrincipalCredentialThumbprint", func(si *graphSignIn) anyText { return si.ServicePrincipalCredentialThumbprint }),
	)
}
