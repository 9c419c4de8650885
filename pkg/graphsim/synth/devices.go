package synth

// device is a user's computer or phone, as its browser and its apps report it.
type device struct {
	browser  DeviceDetail // browser sign-ins
	native   DeviceDetail // app sign-ins
	ua       string       // the browser's user agent
	nativeUA string
}

// newDesktop draws a member's computer: Windows (mostly joined to the
// directory and compliant), macOS (mostly Intune-registered) or Linux
// (unregistered).
func newDesktop(r *rng, first string) (device, *platform) {
	p := desktopPlatforms[r.pick(platformWeights(desktopPlatforms))]
	b := p.browsers[r.pick(browserWeights(p.browsers))]
	var d DeviceDetail
	switch p.os {
	case "Windows 10":
		switch r.pick([]float64{50, 45, 5}) {
		case 0:
			d = registered(r, string(appendUint([]byte("CTS-LT-"), uint64(10000+r.intn(90000)))), trustHybrid, 0.96) // #nosec G115 -- intn returns [0, n)
		case 1:
			d = registered(r, "DESKTOP-"+randomUpper(r, 7), trustJoined, 0.96)
		}
	case "MacOs":
		if r.chance(0.85) {
			model := [...]string{"-MacBook-Pro", "-MacBook-Air"}[r.intn(2)]
			d = registered(r, first+"s"+model, trustRegistered, 0.9)
		}
	}
	return finishDevice(d, p, b), p
}

// newPhone draws a member's phone, mostly enrolled in Intune.
func newPhone(r *rng) device {
	p := mobilePlatforms[r.pick(platformWeights(mobilePlatforms))]
	var d DeviceDetail
	if r.chance(0.8) {
		name := "iPhone"
		if p.os == "Android" {
			name = "Pixel 7"
		}
		d = registered(r, name, trustRegistered, 0.85)
	}
	return finishDevice(d, p, p.browsers[0])
}

// guestDevice is a guest's computer: unknown to this tenant, so Graph shows no
// device id, name or trust type.
func guestDevice(r *rng) device {
	p := desktopPlatforms[r.pick(platformWeights(desktopPlatforms))]
	b := p.browsers[r.pick(browserWeights(p.browsers))]
	return finishDevice(DeviceDetail{}, p, b)
}

// registered is a device known to the directory.
func registered(r *rng, name, trust string, compliance float64) DeviceDetail {
	return DeviceDetail{
		DeviceID:    r.uuid().String(),
		DisplayName: name,
		TrustType:   trust,
		IsManaged:   true,
		IsCompliant: r.chance(compliance),
	}
}

func finishDevice(d DeviceDetail, p *platform, b browser) device {
	dev := device{browser: d, native: d, ua: b.ua, nativeUA: p.nativeUA}
	dev.browser.OperatingSystem, dev.browser.Browser = p.os, b.name
	dev.native.OperatingSystem, dev.native.Browser = p.nativeOS, p.nativeBrowser
	return dev
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomUpper(r *rng, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = upperAlnum[r.intn(len(upperAlnum))]
	}
	return string(b)
}
