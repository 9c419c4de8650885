package pluginzip

import (
	"regexp"
	"strings"
)

// markdownLink is a Markdown link's or image's target: ](target) or ](target "title").
var markdownLink = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)`)

// RelativeLinks lists the links of a Markdown text that are neither https
// URLs nor in-page anchors. Grafana's catalog shows the README as the
// plugin's page, where a relative link leads nowhere (the validator's
// brokenlinks check refuses them).
func RelativeLinks(markdown string) []string {
	var out []string
	for _, m := range markdownLink.FindAllStringSubmatch(markdown, -1) {
		target := m[1]
		if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		out = append(out, target)
	}
	return out
}

// releaseDate is a heading's date.
var releaseDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// datedHeading reports whether a changelog has a heading for version with a
// date: the catalog shows the changelog, and "unreleased" there is wrong for
// a released package.
func datedHeading(changelog, version string) bool {
	for _, line := range strings.Split(changelog, "\n") {
		if strings.HasPrefix(line, "## ") && strings.Contains(line, version) && !strings.Contains(strings.ToLower(line), "unreleased") && releaseDate.MatchString(line) {
			return true
		}
	}
	return false
}
