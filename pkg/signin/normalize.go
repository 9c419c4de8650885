package signin

import "strings"

// legacyClients are the clientAppUsed values of protocols without modern
// authentication, as the Entra portal's "legacy authentication clients" filter
// lists them. Conditional Access cannot require MFA for them, which is why
// password sprays use them.
var legacyClients = map[string]struct{}{
	"authenticated smtp": {}, "autodiscover": {}, "exchange activesync": {}, "exchange online powershell": {},
	"exchange web services": {}, "imap4": {}, "imap": {}, "mapi over http": {}, "offline address book": {},
	"outlook anywhere (rpc over http)": {}, "other clients": {}, "pop3": {}, "pop": {},
	"reporting web services": {}, "universal outlook": {}, "smtp": {},
}

// IsLegacyAuth reports whether a clientAppUsed value is a legacy-authentication client.
func IsLegacyAuth(clientApp string) bool {
	_, ok := legacyClients[strings.ToLower(strings.TrimSpace(clientApp))]
	return ok
}

// BrowserFamily reduces deviceDetail.browser to its family: "Chrome 99.0.4844" →
// "Chrome", "Rich Client 5.2.9.0" → "Rich Client", "Mobile Safari" stays.
// Version tokens are those that start with a digit.
func BrowserFamily(raw string) string {
	fields := strings.Fields(raw)
	for len(fields) > 0 && startsWithDigit(fields[len(fields)-1]) {
		fields = fields[:len(fields)-1]
	}
	return strings.Join(fields, " ")
}

// osFamilies maps the lower-cased, space-free start of deviceDetail.operatingSystem
// to a family; Graph spells the same system several ways ("Windows 10",
// "Windows10", "MacOs", "Ios").
var osFamilies = []struct{ prefix, family string }{
	{"windowsphone", "Windows Phone"},
	{"windows", "Windows"},
	{"macos", "macOS"},
	{"macosx", "macOS"},
	{"osx", "macOS"},
	{"ios", "iOS"},
	{"ipados", "iOS"},
	{"android", "Android"},
	{"chromeos", "ChromeOS"},
	{"linux", "Linux"},
	{"ubuntu", "Linux"},
}

// OSFamily reduces deviceDetail.operatingSystem to its family ("Windows 10" →
// "Windows", "Ios" → "iOS"); an unknown system keeps its name without version.
func OSFamily(raw string) string {
	key := strings.ToLower(strings.ReplaceAll(raw, " ", ""))
	for _, f := range osFamilies {
		if strings.HasPrefix(key, f.prefix) {
			return f.family
		}
	}
	return BrowserFamily(raw)
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }
