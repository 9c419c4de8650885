package synth

// The tenant uses Microsoft's fictitious company names (Contoso for itself,
// Fabrikam and friends for B2B partners), so nothing resembles a real company.
const (
	tenantDomain = "contoso.com"
	guestDomain  = "contoso.onmicrosoft.com"
)

// partnerDomains are the home tenants of B2B guests.
var partnerDomains = []string{"fabrikam.com", "northwindtraders.com", "adventure-works.com", "tailspintoys.com"}

var firstNames = []string{
	"Adele", "Alex", "Allan", "Anna", "Ben", "Carla", "Chris", "Daniel", "David", "Diego",
	"Elena", "Emily", "Emma", "Felix", "Finn", "Grady", "Hannah", "Henrietta", "Isaiah", "Jan",
	"Johanna", "Jonas", "Joni", "Julia", "Katrin", "Laura", "Lee", "Leon", "Lidia", "Lukas",
	"Lynne", "Marco", "Maria", "Megan", "Michael", "Miriam", "Nestor", "Nina", "Noah", "Olga",
	"Patti", "Paul", "Pradeep", "Priya", "Rafael", "Sara", "Sebastian", "Sofia", "Stefan", "Tobias",
	"Tom", "Uwe", "Vanessa", "Wei", "Yara", "Zoe",
}

var lastNames = []string{
	"Vance", "Wilber", "Deyoung", "Adams", "Becker", "Brown", "Castillo", "Fischer", "Garcia", "Gates",
	"Hoffmann", "Jensen", "Johnson", "Klein", "Koch", "Lambert", "Lee", "Meyer", "Miller", "Moreno",
	"Mueller", "Nguyen", "Novak", "Patel", "Fernandez", "Richter", "Rossi", "Schmidt", "Schneider", "Schulz",
	"Smith", "Sullivan", "Taylor", "Wagner", "Walker", "Weber", "Williams", "Wolf", "Zimmermann", "Bauer",
	"Kowalski", "Dubois", "Murphy", "O'Brien", "Larsen", "Tanaka", "Kumar", "Silva", "Young", "Hartmann",
}

// Parts of workload names: a system and an environment, as an ops team would
// name them ("orders-prod").
var (
	systemNames = []string{
		"orders", "billing", "inventory", "payments", "reporting", "hr-sync", "crm", "etl",
		"backup", "monitoring", "search", "notifications", "identity-sync", "analytics", "webshop",
		"intranet", "data-lake", "invoicing", "catalog", "ticketing",
	}
	envNames = []string{"prod", "prod", "prod", "staging", "dev", "test"}
)

// spNameFormats turn a system and an environment into a service principal
// display name; the ops tools' fixed names go alongside.
var spNameFormats = []func(sys, env string) string{
	func(sys, env string) string { return "sp-" + sys + "-" + env },
	func(sys, env string) string { return "github-actions-" + sys },
	func(sys, env string) string { return "terraform-" + env },
	func(sys, env string) string { return sys + "-worker-" + env },
}
