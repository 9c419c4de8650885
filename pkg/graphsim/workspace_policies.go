package graphsim

import (
	"encoding/json"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// caConditionBits are the flags of Graph's conditionalAccessConditions. Graph
// lists a policy's conditionsSatisfied as their names ("application,users");
// the workspace holds the same set as an integer bitmask.
var caConditionBits = map[string]int{
	"none": 0, "application": 1, "users": 2, "devicePlatform": 4, "location": 8, "clientType": 16,
	"signInRisk": 32, "userRisk": 64, "time": 128, "deviceState": 256, "client": 512,
	"ipAddressSeenByAzureAD": 1024, "ipAddressSeenByResourceProvider": 2048, "unknownFutureValue": 4096,
	"servicePrincipals": 8192, "servicePrincipalRisk": 16384, "authenticationFlows": 32768, "insiderRisk": 65536,
}

// colPolicies is ConditionalAccessPolicies: Graph's
// appliedConditionalAccessPolicies with the condition sets as bitmasks,
// dynamic in SigninLogs and JSON text elsewhere.
func colPolicies(dynamic bool) laColumn {
	get := func(si *graphSignIn) []byte { return workspacePolicies(si.AppliedConditionalAccessPolicies) }
	if !dynamic {
		return laColumn{"ConditionalAccessPolicies", kql.TypeString, func(b *answerBuf, r *laRow) { b.text(get(r.signIn()), false) }}
	}
	return colObject("ConditionalAccessPolicies", true, get, "[]")
}

// workspacePolicies converts the policies; what it cannot read it keeps.
func workspacePolicies(raw json.RawMessage) json.RawMessage {
	var policies []map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &policies) != nil {
		return raw
	}
	for _, p := range policies {
		for _, key := range []string{"conditionsSatisfied", "conditionsNotSatisfied"} {
			p[key] = conditionBitmask(p[key])
		}
	}
	out, err := json.Marshal(policies)
	if err != nil {
		return raw
	}
	return out
}

// conditionBitmask converts a flag list ("application,users") to its
// bitmask; a number stays, a missing set is 0. Unknown flag names count 0.
func conditionBitmask(v json.RawMessage) json.RawMessage {
	var names string
	if json.Unmarshal(v, &names) != nil {
		if len(v) == 0 || string(v) == "null" {
			return json.RawMessage("0")
		}
		return v
	}
	mask := 0
	for _, n := range strings.Split(names, ",") {
		mask |= caConditionBits[strings.TrimSpace(n)]
	}
	out, _ := json.Marshal(mask)
	return out
}
