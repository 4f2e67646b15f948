package offline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/onemap/onemap/internal/problem"
)

// Latest is the newest *.pmtiles file (by modification time) in dir: problem.ErrNotFound when
// dir is empty, unset or missing. Exports land under their name only when whole.
func Latest(dir string) (string, error) {
	// The answer names no directory of the server's: an administrator knows where it is.
	none := fmt.Errorf("offline: no offline package yet (onemap tiles export --format pmtiles into ONEMAP_PMTILES_DIR): %w", problem.ErrNotFound)
	if dir == "" {
		return "", none
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.pmtiles"))
	if err != nil {
		return "", fmt.Errorf("offline: %w", err)
	}
	var best string
	var bestInfo fs.FileInfo
	for _, n := range names {
		info, err := os.Stat(n)
		if err != nil || !info.Mode().IsRegular() {
			continue // removed meanwhile, or a directory so named
		}
		if bestInfo == nil || info.ModTime().After(bestInfo.ModTime()) {
			best, bestInfo = n, info
		}
	}
	if bestInfo == nil {
		if _, err := os.Stat(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("offline: %w", err)
		}
		return "", none
	}
	return best, nil
}
