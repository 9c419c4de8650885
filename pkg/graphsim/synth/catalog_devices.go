package synth

// browser is a browser build as Graph names it in deviceDetail.browser, with
// the user agent it sends.
type browser struct {
	name   string
	ua     string
	weight float64
}

// platform is an operating system with its browsers. Graph reports the OS of a
// browser sign-in from the user agent ("Windows 10") and that of an app sign-in
// from the broker ("Windows10"); both spellings occur in real logs.
type platform struct {
	os, nativeOS  string
	nativeBrowser string // what deviceDetail.browser says for MSAL and WAM apps
	nativeUA      string
	browsers      []browser
	weight        float64
}

const (
	uaWinChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
	uaMacChrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
)

var desktopPlatforms = []*platform{
	{
		os: "Windows 10", nativeOS: "Windows10", nativeBrowser: "Rich Client 5.2.9.0",
		nativeUA: "Windows-AzureAD-Authentication-Provider/1.0", weight: 75,
		browsers: []browser{
			{"Edge 120.0.2210", uaWinChrome + "120.0.0.0 Safari/537.36 Edg/120.0.2210.91", 45},
			{"Edge 121.0.2277", uaWinChrome + "121.0.0.0 Safari/537.36 Edg/121.0.2277.83", 10},
			{"Chrome 120.0.0", uaWinChrome + "120.0.0.0 Safari/537.36", 25},
			{"Chrome 121.0.0", uaWinChrome + "121.0.0.0 Safari/537.36", 8},
			{"Firefox 121.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", 10},
			{"IE 11.0", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", 1},
		},
	},
	{
		os: "MacOs", nativeOS: "MacOs", nativeBrowser: "Rich Client 4.59.0.0",
		nativeUA: "Microsoft Office/16.0 (Macintosh; Mac OS X 14.2; Microsoft Outlook 16.80.23121017)", weight: 20,
		browsers: []browser{
			{"Safari 17.2", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", 45},
			{"Safari 16.6", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15", 10},
			{"Chrome 120.0.0", uaMacChrome + "120.0.0.0 Safari/537.36", 35},
			{"Firefox 121.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0", 10},
		},
	},
	{
		os: "Linux", nativeOS: "Linux", nativeBrowser: "Rich Client 4.59.0.0",
		nativeUA: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/1.5.00.23861 Chrome/85.0.4183.121 Electron/10.4.7 Safari/537.36", weight: 5,
		browsers: []browser{
			{"Firefox 121.0", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", 60},
			{"Chrome 120.0.0", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", 40},
		},
	},
}

var mobilePlatforms = []*platform{
	{
		os: "Ios", nativeOS: "Ios", nativeBrowser: "Mobile Safari", weight: 60,
		nativeUA: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
		browsers: []browser{
			{"Mobile Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1", 1},
		},
	},
	{
		os: "Android", nativeOS: "Android", nativeBrowser: "Chrome Mobile 120.0.6099", weight: 40,
		nativeUA: "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
		browsers: []browser{
			{"Chrome Mobile 120.0.6099", "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36", 1},
		},
	},
}

// Graph's deviceDetail.trustType values.
const (
	trustHybrid     = "Hybrid Azure AD joined"
	trustJoined     = "Azure AD joined"
	trustRegistered = "Azure AD registered"
)

// User agents of the attack tools in the injected incidents.
const (
	uaLegacyROPC = "BAV2ROPC"
	uaSprayTool  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
	uaPython     = "python-requests/2.31.0"
)

func platformWeights(ps []*platform) []float64 {
	w := make([]float64, len(ps))
	for i, p := range ps {
		w[i] = p.weight
	}
	return w
}

func browserWeights(bs []browser) []float64 {
	w := make([]float64, len(bs))
	for i, b := range bs {
		w[i] = b.weight
	}
	return w
}
