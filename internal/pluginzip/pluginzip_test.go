package pluginzip

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testID = "acme-sample-datasource"

// writeDist writes a built plugin as the build leaves it in dist/, then lets
// change break it.
func writeDist(t *testing.T, change func(dir string)) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("plugin.json", `{"id":"`+testID+`","type":"datasource","backend":true,"executable":"gpx_sample",
		"info":{"version":"1.2.3","logos":{"small":"img/logo.svg","large":"img/logo.svg"},
		"screenshots":[{"name":"Editor","path":"img/shot.png"}],"links":[{"name":"Docs","url":"https://example.com/docs"}]},
		"dependencies":{"grafanaDependency":">=12.4.0"}}`, 0o644)
	for _, f := range []string{"module.js", "README.md", "LICENSE", "img/logo.svg", "img/shot.png"} {
		write(f, "x", 0o644)
	}
	write("CHANGELOG.md", "# Changelog\n\n## 1.2.3 — 2026-12-01\n", 0o644)
	for _, p := range Platforms {
		write("gpx_sample_"+p, "binary", 0o755)
	}
	if change != nil {
		change(dir)
	}
	return dir
}

func packAndCheck(t *testing.T, dist, id, version string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), id+"-"+version+".zip")
	if err := Pack(dist, id, out); err != nil {
		t.Fatal(err)
	}
	problems, err := Check(out, version)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func TestPackPasses(t *testing.T) {
	dist := writeDist(t, nil)
	if problems := packAndCheck(t, dist, testID, "1.2.3"); len(problems) != 0 {
		t.Fatalf("unexpected problems: %q", problems)
	}
	// The binaries stay executable inside the zip.
	out := filepath.Join(t.TempDir(), "p.zip")
	if err := Pack(dist, testID, out); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, testID+"/") {
			t.Fatalf("%s is outside the top folder", f.Name)
		}
		if strings.Contains(f.Name, "gpx_sample_linux_amd64") && f.Mode().Perm() != 0o755 {
			t.Fatalf("%s has mode %v; want 0755", f.Name, f.Mode().Perm())
		}
	}
}

func TestCheckNamesEachProblem(t *testing.T) {
	f := func(name, want string, change func(dir string), id, version string) {
		t.Helper()
		problems := packAndCheck(t, writeDist(t, change), id, version)
		if !strings.Contains(strings.Join(problems, "\n"), want) {
			t.Fatalf("%s: problems %q; want one saying %q", name, problems, want)
		}
	}
	rm := func(name string) func(string) {
		return func(dir string) { _ = os.Remove(filepath.Join(dir, name)) }
	}
	f("missing binary", "no backend binary for darwin_arm64", rm("gpx_sample_darwin_arm64"), testID, "1.2.3")
	f("not executable", "gpx_sample_linux_arm64 is not executable", func(dir string) {
		_ = os.Chmod(filepath.Join(dir, "gpx_sample_linux_arm64"), 0o644)
	}, testID, "1.2.3")
	f("top folder", `the top folder "other-datasource" is not the plugin id`, nil, "other-datasource", "1.2.3")
	f("version", `differs from the package's version "1.2.4"`, nil, testID, "1.2.4")
	f("module.js", "module.js is missing", rm("module.js"), testID, "1.2.3")
	f("readme", "README.md is missing", rm("README.md"), testID, "1.2.3")
	rewrite := func(name, text string) func(string) {
		return func(dir string) { _ = os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644) }
	}
	f("relative link", `README.md links to "docs/x.md"`, rewrite("README.md", "see [x](docs/x.md)"), testID, "1.2.3")
	f("unreleased", "CHANGELOG.md has no heading for 1.2.3 with its release date", rewrite("CHANGELOG.md", "## 1.2.3 — unreleased\n"), testID, "1.2.3")
	f("logo", `info.logos.small "img/logo.svg" is not in the package`, rm("img/logo.svg"), testID, "1.2.3")
	f("screenshot", `screenshot "img/shot.png" is not in the package`, rm("img/shot.png"), testID, "1.2.3")
	f("placeholder", "placeholder %VERSION%", func(dir string) {
		p := filepath.Join(dir, "plugin.json")
		b, _ := os.ReadFile(p)
		_ = os.WriteFile(p, []byte(strings.Replace(string(b), "1.2.3", "%VERSION%", 1)), 0o644)
	}, testID, "")
}

// A zip made elsewhere: a symlink entry and a second top folder are named.
func TestCheckForeignZip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "foreign.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	link := &zip.FileHeader{Name: testID + "/link.md"}
	link.SetMode(os.ModeSymlink | 0o777)
	for _, h := range []*zip.FileHeader{link, {Name: "stray.txt"}} {
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("README.md"))
	}
	_ = zw.Close()
	_ = f.Close()
	problems, err := Check(out, "")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	if !strings.Contains(all, "link.md: a symlink") || !strings.Contains(all, "2 top-level entries") {
		t.Fatalf("unexpected problems %q", problems)
	}
}

func TestPackRefusesSymlinks(t *testing.T) {
	dist := writeDist(t, func(dir string) { _ = os.Symlink("README.md", filepath.Join(dir, "link.md")) })
	out := filepath.Join(t.TempDir(), "p.zip")
	if err := Pack(dist, testID, out); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("unexpected error %v; want one naming the symlink", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a failed pack left its zip behind")
	}
}

// TestReadmeLinksAreAbsolute: the project's README, which the catalog shows
// as the plugin's page, links only to https URLs and in-page anchors.
func TestReadmeLinksAreAbsolute(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if links := RelativeLinks(string(b)); len(links) > 0 {
		t.Fatalf("README.md links relatively to %q; use https URLs", links)
	}
	if got := RelativeLinks("[a](docs/x.md) [b](https://x.y/z) [c](#anchor) ![d](img/e.png \"t\") [f]( ./g.md )"); len(got) != 3 || got[0] != "docs/x.md" || got[1] != "img/e.png" || got[2] != "./g.md" {
		t.Fatalf("unexpected relative links %q", got)
	}
}
