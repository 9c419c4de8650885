package catalogrules

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pluginDir is the plugin's code, as the validator scans it.
const pluginDir = "../../pkg"

// forbidden are the calls the validator's rules refuse in plugin code, by
// package path; "*" is every function of the package.
var forbidden = map[string][]string{
	"os": {"Open", "OpenFile", "Create", "CreateTemp", "Mkdir", "MkdirAll", "MkdirTemp", "ReadFile", "WriteFile", "ReadDir",
		"Remove", "RemoveAll", "Rename", "Stat", "Lstat", "Chmod", "Chown", "Chtimes", "Symlink", "Link", "Readlink", "Truncate",
		"UserCacheDir", "UserHomeDir", "UserConfigDir", "TempDir", "Getwd", "Chdir", "IsNotExist", "IsExist", "DirFS",
		"Environ", "Clearenv", "ExpandEnv", "Setenv", "Unsetenv"},
	"path/filepath": {"Walk", "WalkDir", "Glob", "EvalSymlinks"},
	"io/fs":         {"*"},
	"syscall":       {"*"},
	"fmt":           {"Print", "Printf", "Println"},
}

// allowedEnv are the variables a plugin may read: what Grafana passes it.
var allowedEnv = []string{"GF_VERSION", "GF_EDITION", "GF_ENTERPRISE_APP_URL", "GFAZPL_AZURE_CLOUD", "GFAZPL_MANAGED_IDENTITY_ENABLED",
	"GFAZPL_MANAGED_IDENTITY_CLIENT_ID", "AZURE_CLOUD", "AZURE_MANAGED_IDENTITY_ENABLED", "AZURE_MANAGED_IDENTITY_CLIENT_ID"}

func envAllowed(name string) bool {
	return strings.HasPrefix(name, "GF_PLUGIN") || strings.HasPrefix(name, "GF_ENTERPRISE_LICENSE_") || slices.Contains(allowedEnv, name)
}

// TestPluginCodeFollowsTheCatalogRules parses every non-test Go file under
// pkg/ and fails on each forbidden call and each environment variable read
// outside the allowed names.
func TestPluginCodeFollowsTheCatalogRules(t *testing.T) {
	err := filepath.WalkDir(pluginDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		for _, v := range violations(t, path) {
			t.Errorf("breaks the catalog's code rules: %s", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// violations lists a file's forbidden calls and environment reads, as
// "file: package.Func" or "file: os.Getenv(NAME)", without line numbers so
// that edits elsewhere in the file do not move them.
func violations(t *testing.T, path string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := filepath.Base(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = p
	}
	consts := stringConsts(t, filepath.Dir(path))
	rel, _ := filepath.Rel(pluginDir, path)
	var out []string
	called := map[*ast.SelectorExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				called[sel] = true
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || pkg.Obj != nil {
			return true // a value's field or method, not a package's function
		}
		// A named function counts called or passed as a value (os.ReadFile
		// handed to a helper reads files all the same); a whole package's
		// rule counts its calls (syscall.SIGTERM is a constant).
		p := imports[pkg.Name]
		if names := forbidden[p]; slices.Contains(names, sel.Sel.Name) || slices.Contains(names, "*") && called[sel] {
			out = append(out, fmt.Sprintf("%s: %s.%s", rel, p, sel.Sel.Name))
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || imports[identName(sel.X)] != "os" || (sel.Sel.Name != "Getenv" && sel.Sel.Name != "LookupEnv") {
			return true
		}
		name, ok := envName(call.Args[0], consts)
		if !ok || !envAllowed(name) {
			out = append(out, fmt.Sprintf("%s: os.%s(%s)", rel, sel.Sel.Name, name))
		}
		return true
	})
	return out
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// envName is the variable a Getenv reads: a literal, or a constant of the
// package; false when it cannot be known (which the rules count against it).
func envName(e ast.Expr, consts map[string]string) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[v.Name]
		if !ok {
			return v.Name, false
		}
		return s, true
	}
	return "?", false
}

// stringConsts are a package's string constants by name.
func stringConsts(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								out[n.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// TestPkgIsThePlugin: every package under pkg/ is linked into the plugin
// binary, so that what the validator scans is what runs inside Grafana.
func TestPkgIsThePlugin(t *testing.T) {
	list := func(args ...string) []string {
		t.Helper()
		cmd := exec.Command("go", append([]string{"list"}, args...)...)
		cmd.Dir = "../.."
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	deps := list("-deps", "./pkg")
	for _, p := range list("./pkg/...") {
		if !slices.Contains(deps, p) {
			t.Errorf("%s is under pkg/ but not linked into the plugin: move it out (cmd/, internal/)", p)
		}
	}
}
