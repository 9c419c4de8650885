package pluginzip

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// Platforms are the backend binaries a package must carry: what Grafana
// runs on and the SDK's build targets produce.
var Platforms = []string{"linux_amd64", "linux_arm64", "linux_arm", "darwin_amd64", "darwin_arm64", "windows_amd64.exe"}

// Manifest is what the checks read of plugin.json.
type Manifest struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Info       struct {
		Version     string            `json:"version"`
		Logos       map[string]string `json:"logos"`
		Screenshots []struct {
			Path string `json:"path"`
		} `json:"screenshots"`
		Links []struct {
			URL string `json:"url"`
		} `json:"links"`
	} `json:"info"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
}

var (
	semver      = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	placeholder = regexp.MustCompile(`%[A-Z_]+%`)
)

// Check opens the zip at file and returns every rule it breaks, each naming
// the problem; none for a package Grafana's catalog would take as laid out.
// version is the version the file name promises ("" to skip that rule).
func Check(file, version string) ([]string, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", file, err)
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	var problems []string
	top := map[string]bool{}
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if strings.HasPrefix(name, "/") || strings.Contains(name, "..") || strings.Contains(name, `\`) {
			problems = append(problems, fmt.Sprintf("%s: an unsafe path", f.Name))
			continue
		}
		top[strings.SplitN(name, "/", 2)[0]] = true
		if f.Mode()&fs.ModeSymlink != 0 {
			problems = append(problems, fmt.Sprintf("%s: a symlink; the validator rejects them", f.Name))
		}
		if !f.FileInfo().IsDir() {
			files[name] = f
		}
	}
	if len(top) != 1 {
		return append(problems, fmt.Sprintf("the archive has %d top-level entries; want one folder named after the plugin id", len(top))), nil
	}
	var root string
	for k := range top {
		root = k
	}
	m, err := readManifest(files[root+"/plugin.json"])
	if err != nil {
		return append(problems, err.Error()), nil
	}
	return append(problems, checkManifest(m, root, version, files)...), nil
}

func readManifest(f *zip.File) (Manifest, error) {
	var m Manifest
	if f == nil {
		return m, fmt.Errorf("no plugin.json in the top folder")
	}
	rc, err := f.Open()
	if err != nil {
		return m, fmt.Errorf("plugin.json: %w", err)
	}
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	if err != nil {
		return m, fmt.Errorf("plugin.json: %w", err)
	}
	if p := placeholder.Find(raw); p != nil {
		return m, fmt.Errorf("plugin.json still holds the placeholder %s: package the built dist/, not the source", p)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("plugin.json is not valid JSON: %w", err)
	}
	return m, nil
}

// checkManifest applies the rules that read plugin.json.
func checkManifest(m Manifest, root, version string, files map[string]*zip.File) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if m.ID == "" || m.ID != root {
		add("the top folder %q is not the plugin id %q", root, m.ID)
	}
	if m.Type == "datasource" && !strings.HasSuffix(m.ID, "-datasource") {
		add("a datasource's id must end in -datasource, got %q", m.ID)
	}
	if !semver.MatchString(m.Info.Version) {
		add("info.version %q is not a semantic version", m.Info.Version)
	} else if version != "" && m.Info.Version != version {
		add("info.version %q differs from the package's version %q", m.Info.Version, version)
	}
	if m.Dependencies.GrafanaDependency == "" {
		add("dependencies.grafanaDependency is missing")
	}
	for _, want := range []string{"module.js", "README.md", "CHANGELOG.md", "LICENSE"} {
		if f := files[root+"/"+want]; f == nil || f.UncompressedSize64 == 0 {
			add("%s is missing or empty", want)
		}
	}
	if f := files[root+"/CHANGELOG.md"]; f != nil && semver.MatchString(m.Info.Version) {
		if text, err := readText(f); err != nil {
			add("CHANGELOG.md: %v", err)
		} else if !datedHeading(text, m.Info.Version) {
			add("CHANGELOG.md has no heading for %s with its release date (## %s — YYYY-MM-DD)", m.Info.Version, m.Info.Version)
		}
	}
	if f := files[root+"/README.md"]; f != nil {
		if text, err := readText(f); err != nil {
			add("README.md: %v", err)
		} else {
			for _, l := range RelativeLinks(text) {
				add("README.md links to %q: the catalog shows the README as the plugin's page, where only https URLs and in-page anchors work", l)
			}
		}
	}
	for kind, logo := range m.Info.Logos {
		if files[path.Join(root, logo)] == nil {
			add("info.logos.%s %q is not in the package", kind, logo)
		}
	}
	for _, s := range m.Info.Screenshots {
		if files[path.Join(root, s.Path)] == nil {
			add("screenshot %q is not in the package", s.Path)
		}
	}
	for _, l := range m.Info.Links {
		if !strings.HasPrefix(l.URL, "https://") {
			add("link %q is not an https URL", l.URL)
		}
	}
	if m.Backend {
		problems = append(problems, checkBinaries(m, root, files)...)
	}
	return problems
}

// checkBinaries wants one executable per platform, executable on Unix.
func checkBinaries(m Manifest, root string, files map[string]*zip.File) []string {
	if m.Executable == "" {
		return []string{"a backend plugin needs executable in plugin.json"}
	}
	var problems []string
	for _, p := range Platforms {
		name := root + "/" + m.Executable + "_" + p
		f := files[name]
		switch {
		case f == nil:
			problems = append(problems, fmt.Sprintf("no backend binary for %s (%s)", strings.TrimSuffix(p, ".exe"), path.Base(name)))
		case !strings.HasSuffix(p, ".exe") && f.Mode().Perm()&0o111 == 0:
			problems = append(problems, fmt.Sprintf("%s is not executable (mode %v)", path.Base(name), f.Mode().Perm()))
		}
	}
	return problems
}

// readText reads a text file of the package.
func readText(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	return string(b), err
}
