package offline

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/onemap/onemap/static"
)

// The kit is the offline viewer as files a browser opens from disk (file://, no server): Chromium
// refuses ES modules and fetches there, so the viewer's modules — static/offline/viewer.js and the
// map's own layers.js and i18n.js it imports, the one definition of the layer colours and words —
// are bundled into one classic script, beside the vendored MapLibre and pmtiles builds (both
// classic scripts that set a global) and the package itself, which the user picks in the page.

// kitRoot is the folder the kit's files sit in, inside the zip and under a --kit directory.
const kitRoot = "onemap-offline"

// kitStatic are the static files copied into the kit as they are; vendor paths match index.html.
var kitStatic = []string{
	"offline/index.html", "offline/viewer.css", "favicon.svg",
	"vendor/maplibre-gl@*/maplibre-gl.js", "vendor/maplibre-gl@*/maplibre-gl.css",
	"vendor/maplibre-gl@*/LICENSE.txt", "vendor/pmtiles@*/pmtiles.js", "vendor/VERSIONS", // names and licences
}

// kitFiles is every file of the kit but the package and kit.js, by its path inside the kit. It is
// made once, on first use, from files embedded in the binary: the same for every kit, and bundling
// costs more than a download should wait for each time.
var kitFiles = sync.OnceValues(func() (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, pattern := range kitStatic {
		names, err := fs.Glob(source(pattern), pattern)
		if err != nil || len(names) != 1 {
			return nil, fmt.Errorf("offline: kit file %s: %d matches, %v", pattern, len(names), err)
		}
		b, err := fs.ReadFile(source(pattern), names[0])
		if err != nil {
			return nil, fmt.Errorf("offline: kit: %w", err)
		}
		files[strings.TrimPrefix(names[0], "offline/")] = b
	}
	js, err := bundleViewer()
	files["viewer.js"] = js
	return files, err
})

// source is the embedded files holding name: the viewer's own (offline/) or the map's.
func source(name string) fs.FS {
	if strings.HasPrefix(name, "offline/") {
		return static.Offline
	}
	return static.FS
}

// bundleViewer bundles static/offline/viewer.js and the modules it imports into one classic
// script (an IIFE), reading them from the embedded static files.
func bundleViewer() ([]byte, error) {
	r := api.Build(api.BuildOptions{
		EntryPoints: []string{"offline/viewer.js"},
		Bundle:      true, Write: false, Format: api.FormatIIFE, Target: api.ES2020,
		Charset: api.CharsetUTF8, LegalComments: api.LegalCommentsNone, LogLevel: api.LogLevelSilent,
		Plugins: []api.Plugin{staticPlugin},
	})
	if len(r.Errors) > 0 {
		m := r.Errors[0]
		where := ""
		if m.Location != nil {
			where = fmt.Sprintf("%s:%d: ", m.Location.File, m.Location.Line)
		}
		return nil, fmt.Errorf("offline: bundling the viewer: %s%s", where, m.Text)
	}
	return r.OutputFiles[0].Contents, nil
}

// staticPlugin resolves every import inside the embedded static files: the viewer imports only
// relative paths.
var staticPlugin = api.Plugin{Name: "static", Setup: func(b api.PluginBuild) {
	b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
		if a.Kind == api.ResolveEntryPoint {
			return api.OnResolveResult{Path: a.Path, Namespace: "static"}, nil
		}
		if !strings.HasPrefix(a.Path, ".") {
			return api.OnResolveResult{}, fmt.Errorf("only relative imports, not %q", a.Path)
		}
		return api.OnResolveResult{Path: path.Join(path.Dir(a.Importer), a.Path), Namespace: "static"}, nil
	})
	b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "static"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
		src, err := fs.ReadFile(source(a.Path), a.Path)
		s := string(src)
		return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, err
	})
}}

// kitConfig is kit.js: the name of the package shipped beside index.html, which the page asks the
// user to pick (a page opened from disk may not read its folder by itself).
func kitConfig(pkgName string) []byte {
	b, _ := json.Marshal(map[string]string{"package": pkgName}) // a map of strings always marshals
	return []byte("window.ONEMAP_KIT = " + string(b) + ";\n")
}

// WriteKit writes the kit with the package pkg into dir/onemap-offline (created or refreshed) and
// returns that folder.
func WriteKit(dir, pkg string) (string, error) {
	files, err := kitFiles()
	if err != nil {
		return "", err
	}
	root := filepath.Join(dir, kitRoot)
	name := filepath.Base(pkg)
	files = withKitConfig(files, name)
	for p, b := range files {
		if err := writeFile(filepath.Join(root, filepath.FromSlash(p)), b); err != nil {
			return "", err
		}
	}
	return root, copyFile(pkg, filepath.Join(root, name))
}

// withKitConfig is files with kit.js naming the package added.
func withKitConfig(files map[string][]byte, pkgName string) map[string][]byte {
	out := make(map[string][]byte, len(files)+1)
	for k, v := range files {
		out[k] = v
	}
	out["kit.js"] = kitConfig(pkgName)
	return out
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("offline: kit: %w", err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("offline: kit: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("offline: kit: %w", err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return fmt.Errorf("offline: kit: %w", err)
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// WriteKitZip writes the kit with the package pkg as a zip to w, every file under onemap-offline/.
// The package is stored, not deflated: its tiles are gzipped already.
func WriteKitZip(w io.Writer, pkg string) error {
	files, err := kitFiles()
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	name := filepath.Base(pkg)
	for p, b := range withKitConfig(files, name) {
		f, err := z.Create(kitRoot + "/" + p)
		if err == nil {
			_, err = f.Write(b)
		}
		if err != nil {
			return fmt.Errorf("offline: kit zip: %w", err)
		}
	}
	if err := zipPackage(z, pkg, kitRoot+"/"+name); err != nil {
		return err
	}
	return z.Close()
}

func zipPackage(z *zip.Writer, pkg, name string) error {
	in, err := os.Open(pkg)
	if err != nil {
		return fmt.Errorf("offline: kit zip: %w", err)
	}
	defer in.Close()
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err == nil {
		_, err = io.Copy(f, in)
	}
	if err != nil {
		return fmt.Errorf("offline: kit zip: %w", err)
	}
	return nil
}

// KitReady reports whether the viewer bundles, so that a server can answer an error before it
// starts streaming a kit.
func KitReady() error {
	_, err := kitFiles()
	return err
}
