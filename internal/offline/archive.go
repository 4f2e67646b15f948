package offline

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/protomaps/go-pmtiles/pmtiles"
)

// archive collects compressed tiles in tile-ID order into a temporary file and, on finish, writes
// the PMTiles file: header, root directory, metadata, leaf directories, then the tile data.
type archive struct {
	data    *os.File
	buf     *bufio.Writer
	offset  uint64
	entries []pmtiles.EntryV3
	seen    map[[sha256.Size]byte]pmtiles.EntryV3 // content → where it was stored
	tiles   uint64                                // addressed tiles
}

// newArchive opens the temporary tile data beside the output path (same disk, renamed at the end).
func newArchive(out string) (*archive, error) {
	f, err := os.CreateTemp(filepath.Dir(out), ".onemap-tiles-*")
	if err != nil {
		return nil, fmt.Errorf("offline: %w", err)
	}
	return &archive{data: f, buf: bufio.NewWriterSize(f, 1<<20), seen: map[[sha256.Size]byte]pmtiles.EntryV3{}}, nil
}

// add stores one gzip-compressed tile; ids must come in increasing order.
func (a *archive) add(id uint64, gz []byte) error {
	a.tiles++
	sum := sha256.Sum256(gz)
	if e, ok := a.seen[sum]; ok {
		if n := len(a.entries); n > 0 {
			last := &a.entries[n-1]
			if last.Offset == e.Offset && last.TileID+uint64(last.RunLength) == id {
				last.RunLength++
				return nil
			}
		}
		a.entries = append(a.entries, pmtiles.EntryV3{TileID: id, Offset: e.Offset, Length: e.Length, RunLength: 1})
		return nil
	}
	e := pmtiles.EntryV3{TileID: id, Offset: a.offset, Length: uint32(len(gz)), RunLength: 1}
	if _, err := a.buf.Write(gz); err != nil {
		return fmt.Errorf("offline: tile data: %w", err)
	}
	a.offset += uint64(len(gz))
	a.seen[sum] = e
	a.entries = append(a.entries, e)
	return nil
}

// finish writes the archive to out (through out.partial, renamed when whole) and removes the
// temporary data. header carries the zooms, bounds and centre; the counts and offsets are filled.
func (a *archive) finish(out string, header pmtiles.HeaderV3, metadata map[string]any) (pmtiles.HeaderV3, error) {
	defer a.discard()
	if err := a.buf.Flush(); err != nil {
		return header, fmt.Errorf("offline: tile data: %w", err)
	}
	root, leaves, _ := pmtiles.BuildDirectories(a.entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
	meta, err := pmtiles.SerializeMetadata(metadata, pmtiles.Gzip)
	if err != nil {
		return header, fmt.Errorf("offline: metadata: %w", err)
	}
	header.SpecVersion = 3
	header.Clustered = true
	header.InternalCompression, header.TileCompression, header.TileType = pmtiles.Gzip, pmtiles.Gzip, pmtiles.Mvt
	header.AddressedTilesCount, header.TileEntriesCount = a.tiles, uint64(len(a.entries))
	header.TileContentsCount = uint64(len(a.seen))
	header.RootOffset, header.RootLength = pmtiles.HeaderV3LenBytes, uint64(len(root))
	header.MetadataOffset, header.MetadataLength = header.RootOffset+header.RootLength, uint64(len(meta))
	header.LeafDirectoryOffset, header.LeafDirectoryLength = header.MetadataOffset+header.MetadataLength, uint64(len(leaves))
	header.TileDataOffset, header.TileDataLength = header.LeafDirectoryOffset+header.LeafDirectoryLength, a.offset
	return header, a.write(out, pmtiles.SerializeHeader(header), root, meta, leaves)
}

// write assembles the parts and the tile data into out.partial, then renames it to out, so that
// a directory served as the latest package never holds half a file under a .pmtiles name.
func (a *archive) write(out string, parts ...[]byte) error {
	tmp := out + ".partial"
	defer os.Remove(tmp) // a no-op once renamed
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	err = a.copyTo(f, parts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("offline: write %s: %w", out, err)
	}
	return os.Rename(tmp, out)
}

// copyTo writes the parts, then the tile data.
func (a *archive) copyTo(f io.Writer, parts [][]byte) error {
	w := bufio.NewWriterSize(f, 1<<20)
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	if _, err := a.data.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(w, a.data); err != nil {
		return err
	}
	return w.Flush()
}

// discard removes the temporary tile data.
func (a *archive) discard() {
	a.data.Close()
	os.Remove(a.data.Name())
}
