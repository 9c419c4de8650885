package synth

// country is where an address block lives: its ISO 3166-1 alpha-2 code (what
// Graph puts in countryOrRegion), the leading octets of a few consumer ISP
// blocks, and those ISPs' autonomous system numbers.
type country struct {
	code     string
	prefixes [][2]byte
	asns     []int
}

var (
	cDE = &country{"DE", [][2]byte{{84, 128}, {91, 64}, {93, 192}, {178, 24}, {217, 80}, {79, 192}}, []int{3320, 3209, 6805}}
	cUS = &country{"US", [][2]byte{{24, 16}, {66, 87}, {73, 162}, {98, 210}, {108, 45}, {173, 73}, {71, 192}}, []int{7922, 701, 7018, 20115}}
	cGB = &country{"GB", [][2]byte{{81, 130}, {86, 150}, {90, 200}, {109, 144}}, []int{2856, 5089, 5607}}
	cFR = &country{"FR", [][2]byte{{90, 63}, {86, 246}, {82, 64}}, []int{3215, 12322}}
	cNL = &country{"NL", [][2]byte{{77, 160}, {84, 24}}, []int{1136, 33915}}
	cIE = &country{"IE", [][2]byte{{86, 40}, {89, 100}}, []int{5466, 6830}}
	cPL = &country{"PL", [][2]byte{{83, 20}, {89, 64}}, []int{5617}}
	cCH = &country{"CH", [][2]byte{{85, 195}, {178, 197}}, []int{3303}}
	cAT = &country{"AT", [][2]byte{{80, 108}, {84, 112}}, []int{8447}}
	cES = &country{"ES", [][2]byte{{83, 36}, {88, 12}}, []int{3352}}
	cCA = &country{"CA", [][2]byte{{99, 224}, {142, 112}}, []int{812, 577}}
	cIN = &country{"IN", [][2]byte{{49, 36}, {117, 192}}, []int{24560, 55836}}
	cJP = &country{"JP", [][2]byte{{126, 10}, {153, 156}}, []int{17676, 4713}}
	cSG = &country{"SG", [][2]byte{{116, 14}, {58, 182}}, []int{7473}}
	cAU = &country{"AU", [][2]byte{{101, 160}, {1, 144}}, []int{1221}}
	cBR = &country{"BR", [][2]byte{{177, 100}, {189, 40}}, []int{28573}}
	cNG = &country{"NG", [][2]byte{{105, 112}, {102, 89}}, []int{29465}}
	cRU = &country{"RU", [][2]byte{{95, 24}, {178, 176}}, []int{12389}}
	cVN = &country{"VN", [][2]byte{{113, 160}, {14, 160}}, []int{7552}}
)

// city is a sign-in location as Graph reports it. offset is the city's standard
// UTC offset in ticks; daylight saving is ignored, which only shifts the daily
// curve by an hour for half the year.
type city struct {
	name, state string
	country     *country
	lat, lon    float64
	offset      int64
	office      bool    // the tenant has an office (a trusted named network) here
	weight      float64 // share of member users living here
}

func utcOffset(minutes int64) int64 { return minutes * minute }

// homeCities are where members live: mostly Germany and the United States, a
// tenth in the United Kingdom, the rest across Europe and Canada.
var homeCities = []*city{
	{"Berlin", "Berlin", cDE, 52.5200, 13.4050, utcOffset(60), true, 12},
	{"Munich", "Bayern", cDE, 48.1351, 11.5820, utcOffset(60), true, 10},
	{"Frankfurt am Main", "Hessen", cDE, 50.1109, 8.6821, utcOffset(60), true, 8},
	{"Hamburg", "Hamburg", cDE, 53.5511, 9.9937, utcOffset(60), true, 7},
	{"Cologne", "Nordrhein-Westfalen", cDE, 50.9375, 6.9603, utcOffset(60), false, 3},
	{"Stuttgart", "Baden-Wurttemberg", cDE, 48.7758, 9.1829, utcOffset(60), false, 3},
	{"New York", "New York", cUS, 40.7128, -74.0060, utcOffset(-300), true, 10},
	{"Seattle", "Washington", cUS, 47.6062, -122.3321, utcOffset(-480), true, 7},
	{"Chicago", "Illinois", cUS, 41.8781, -87.6298, utcOffset(-360), true, 5},
	{"Austin", "Texas", cUS, 30.2672, -97.7431, utcOffset(-360), true, 4},
	{"Boston", "Massachusetts", cUS, 42.3601, -71.0589, utcOffset(-300), false, 2},
	{"San Francisco", "California", cUS, 37.7749, -122.4194, utcOffset(-480), false, 2},
	{"Denver", "Colorado", cUS, 39.7392, -104.9903, utcOffset(-420), false, 1},
	{"Atlanta", "Georgia", cUS, 33.7490, -84.3880, utcOffset(-300), false, 1},
	{"London", "England", cGB, 51.5074, -0.1278, utcOffset(0), true, 8},
	{"Manchester", "England", cGB, 53.4808, -2.2426, utcOffset(0), false, 2},
	{"Paris", "Ile-de-France", cFR, 48.8566, 2.3522, utcOffset(60), false, 3},
	{"Amsterdam", "Noord-Holland", cNL, 52.3676, 4.9041, utcOffset(60), false, 3},
	{"Dublin", "Dublin", cIE, 53.3498, -6.2603, utcOffset(0), true, 2},
	{"Warsaw", "Mazowieckie", cPL, 52.2297, 21.0122, utcOffset(60), false, 2},
	{"Zurich", "Zurich", cCH, 47.3769, 8.5417, utcOffset(60), false, 2},
	{"Vienna", "Wien", cAT, 48.2082, 16.3738, utcOffset(60), false, 1},
	{"Madrid", "Madrid", cES, 40.4168, -3.7038, utcOffset(60), false, 2},
	{"Toronto", "Ontario", cCA, 43.6532, -79.3832, utcOffset(-300), false, 2},
}

// guestCities are where B2B guests (partners, contractors) sign in from.
var guestCities = []*city{
	{"London", "England", cGB, 51.5074, -0.1278, utcOffset(0), false, 3},
	{"Paris", "Ile-de-France", cFR, 48.8566, 2.3522, utcOffset(60), false, 2},
	{"Bengaluru", "Karnataka", cIN, 12.9716, 77.5946, utcOffset(330), false, 3},
	{"Toronto", "Ontario", cCA, 43.6532, -79.3832, utcOffset(-300), false, 1},
	{"New York", "New York", cUS, 40.7128, -74.0060, utcOffset(-300), false, 2},
	{"Amsterdam", "Noord-Holland", cNL, 52.3676, 4.9041, utcOffset(60), false, 1},
}

// travelCities are business-trip destinations: a travelling member signs in from
// one of these for a whole day.
var travelCities = []*city{
	{"Paris", "Ile-de-France", cFR, 48.8566, 2.3522, utcOffset(60), false, 3},
	{"Amsterdam", "Noord-Holland", cNL, 52.3676, 4.9041, utcOffset(60), false, 3},
	{"Madrid", "Madrid", cES, 40.4168, -3.7038, utcOffset(60), false, 2},
	{"London", "England", cGB, 51.5074, -0.1278, utcOffset(0), false, 3},
	{"New York", "New York", cUS, 40.7128, -74.0060, utcOffset(-300), false, 2},
	{"Tokyo", "Tokyo", cJP, 35.6762, 139.6503, utcOffset(540), false, 1},
	{"Singapore", "Singapore", cSG, 1.3521, 103.8198, utcOffset(480), false, 1},
	{"Toronto", "Ontario", cCA, 43.6532, -79.3832, utcOffset(-300), false, 1},
}

// farCities are where the injected attacks come from and where an impossible
// traveller "appears"; each is thousands of kilometres from every home city.
var farCities = []*city{
	{"Lagos", "Lagos", cNG, 6.5244, 3.3792, utcOffset(60), false, 1},
	{"Sao Paulo", "Sao Paulo", cBR, -23.5505, -46.6333, utcOffset(-180), false, 1},
	{"Moscow", "Moscow", cRU, 55.7558, 37.6173, utcOffset(180), false, 1},
	{"Hanoi", "Ha Noi", cVN, 21.0278, 105.8342, utcOffset(420), false, 1},
	{"Sydney", "New South Wales", cAU, -33.8688, 151.2093, utcOffset(600), false, 1},
}

// azureSite is an Azure region's datacentre location and address blocks, where
// cloud-hosted service principals sign in from (Microsoft's AS8075).
type azureSite struct {
	city     *city
	prefixes [][2]byte
}

const azureASN = 8075

var azureSites = []azureSite{
	{&city{"Amsterdam", "Noord-Holland", cNL, 52.3676, 4.9041, 0, false, 0}, [][2]byte{{20, 50}, {40, 74}, {52, 236}}},
	{&city{"Dublin", "Dublin", cIE, 53.3498, -6.2603, 0, false, 0}, [][2]byte{{20, 54}, {52, 164}, {40, 113}}},
	{&city{"Frankfurt am Main", "Hessen", cDE, 50.1109, 8.6821, 0, false, 0}, [][2]byte{{20, 113}, {51, 116}}},
	{&city{"Boydton", "Virginia", cUS, 36.6676, -78.3875, 0, false, 0}, [][2]byte{{20, 185}, {52, 168}, {13, 82}}},
	{&city{"Des Moines", "Iowa", cUS, 41.5868, -93.6250, 0, false, 0}, [][2]byte{{20, 98}, {52, 165}, {13, 89}}},
}

// Attack traffic comes from the documentation address blocks TEST-NET-2 and
// TEST-NET-3 (RFC 5737), so no real host is ever shown as an attacker;
// hostingASNs are cloud and VPS providers, where such traffic usually starts.
var (
	attackNets  = []string{"203.0.113.", "198.51.100."}
	hostingASNs = []int{14061, 16276, 24940, 9009}
)

// cityWeights returns the cities' weights for rng.pick.
func cityWeights(cities []*city) []float64 {
	w := make([]float64, len(cities))
	for i, c := range cities {
		w[i] = c.weight
	}
	return w
}
