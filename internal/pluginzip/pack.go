package pluginzip

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Pack writes the plugin build in dist as a zip at out, under one top folder
// named id, keeping each file's permission bits (a backend binary must stay
// executable once unpacked). Symlinks are refused: the validator rejects them
// and unpacking them is unsafe.
func Pack(dist, id, out string) error {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("creating %s: %w", out, err)
	}
	zw := zip.NewWriter(f)
	walkErr := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dist, p)
		if err != nil {
			return err
		}
		name := path.Join(id, filepath.ToSlash(rel))
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symlink; the package needs the file itself", p)
		case d.IsDir():
			return addDir(zw, name, info)
		}
		return addFile(zw, p, name, info)
	})
	closeErr := zw.Close()
	if err := f.Close(); closeErr == nil {
		closeErr = err
	}
	if walkErr != nil {
		_ = os.Remove(out)
		return fmt.Errorf("packing %s: %w", dist, walkErr)
	}
	return closeErr
}

func addDir(zw *zip.Writer, name string, info fs.FileInfo) error {
	h, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	h.Name = strings.TrimSuffix(name, "/") + "/"
	_, err = zw.CreateHeader(h)
	return err
}

func addFile(zw *zip.Writer, src, name string, info fs.FileInfo) error {
	h, err := zip.FileInfoHeader(info) // keeps the mode, executable bits included
	if err != nil {
		return err
	}
	h.Name, h.Method = name, zip.Deflate
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}
