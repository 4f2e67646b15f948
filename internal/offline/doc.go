// Package offline packs the one map into a PMTiles archive (github.com/protomaps/go-pmtiles):
// one file holding every composite tile of an area and zoom range, which the UI opens from disk
// and draws with no server, and which the server hands out whole (Latest) for that.
//
// The archive is PMTiles v3, clustered: tiles in Hilbert tile-ID order, each gzip-compressed,
// identical tiles (the inside of a county at zoom 16 looks the same everywhere) stored once and
// runs of them addressed by one entry. Empty tiles are left out, as the server answers them 204.
// Tiles are rendered through the same tiles.Service the server uses, so a tile read back from the
// archive decodes to what /tiles/onemap/{z}/{x}/{y}.mvt answers.
package offline
