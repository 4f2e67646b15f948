package imports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"

	"github.com/onemap/onemap/internal/problem"
)

// A ledger (CSV, XLSX) is read row by row, never whole, so that an import holds the same memory
// whatever the file's size: CSV through encoding/csv over the decoded file, XLSX through
// excelize's row iterator over sheets it unpacks to disk (its shared strings stay in memory).
// When it opens, the source reads the first ledgerSample rows of each sheet to find its extent
// (which tells the CRS); the import then walks the whole file once, counting as it goes.

// ledgerSample is how many rows of each sheet tell its extent when the ledger opens.
const ledgerSample = 10000

// errSkipSheet, from a walk's fn, skips the rest of the sheet.
var errSkipSheet = errors.New("skip the rest of the sheet")

// xlsxInMemory is the largest sheet (or shared-strings part) excelize keeps unpacked in memory;
// larger ones go to a temporary file the row iterator streams from.
const xlsxInMemory = 1 << 20

// table is a ledger's sheets (one for a CSV file) and a way to walk their rows as text.
type table struct {
	names []string
	enc   string
	// walk calls fn with every row of every sheet in order, each sheet's header row first.
	walk  func(ctx context.Context, fn func(sheet int, cells []string) error) error
	close func()
}

// records walks t as Records: each sheet's first row names the columns (FieldN when a cell is
// empty, as GDAL names them); the rows after it are numbered across the file; empty cells and
// empty rows are left out; the geometry comes from WKT or lon/lat columns.
func (t *table) records(ctx context.Context, fn func(Record) error) error {
	var header []string
	sheet, row := -1, 0
	return t.walk(ctx, func(s int, cells []string) error {
		if s != sheet {
			sheet, header = s, columnNames(cells)
			return nil
		}
		attrs := make(map[string]string, len(cells))
		for i, v := range cells {
			if v == "" {
				continue
			}
			name := fmt.Sprintf("Field%d", i+1)
			if i < len(header) {
				name = header[i]
			}
			attrs[name] = v
		}
		if len(attrs) == 0 {
			return nil
		}
		row++
		if row%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := Record{Row: row, Layer: s, Attrs: attrs}
		r.WKB, r.Problem, r.CentreOnly = ledgerGeometry(r.Attrs)
		return fn(r)
	})
}

// columnNames copies a header row (a CSV reader reuses its slice), naming empty cells.
func columnNames(cells []string) []string {
	out := slices.Clone(cells)
	for i, c := range out {
		if c == "" {
			out[i] = fmt.Sprintf("Field%d", i+1)
		}
	}
	return out
}

// openXLSX opens a workbook; every sheet is a layer.
func openXLSX(path string, limits Limits) (*table, error) {
	opts := excelize.Options{UnzipXMLSizeLimit: xlsxInMemory}
	if limits.MaxUnpackedBytes > 0 {
		opts.UnzipSizeLimit = max(limits.MaxUnpackedBytes, xlsxInMemory)
	}
	f, err := excelize.OpenFile(path, opts)
	if err != nil {
		return nil, problem.Unprocessable("file", "cannot be read as xlsx: %v", err)
	}
	names := f.GetSheetList()
	walk := func(ctx context.Context, fn func(int, []string) error) error {
		for i, name := range names {
			if err := eachSheetRow(f, i, name, fn); err != nil {
				return err
			}
		}
		return nil
	}
	return &table{names: names, enc: encUTF8, walk: walk, close: func() { _ = f.Close() }}, nil // Close removes its temporary files
}

// eachSheetRow streams one sheet's rows, cells as stored (numbers unformatted, without loss).
func eachSheetRow(f *excelize.File, sheet int, name string, fn func(int, []string) error) error {
	rows, err := f.Rows(name)
	if err != nil {
		return problem.Unprocessable("file", "sheet %s cannot be read: %v", name, err)
	}
	defer func() { _ = rows.Close() }() // a read-only temporary file
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return problem.Unprocessable("file", "sheet %s: %v", name, err)
		}
		if err := fn(sheet, cells); errors.Is(err, errSkipSheet) {
			return nil
		} else if err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return problem.Unprocessable("file", "sheet %s: %v", name, err)
	}
	return nil
}

// csvSniff is how much of a CSV file tells its encoding and separator.
const csvSniff = 1 << 20

// openCSV opens a CSV file: its encoding and separator (comma, semicolon or tab) are told by its
// first MB; text that is not UTF-8 is decoded as the user's encoding, else GBK (decodeText).
func openCSV(path, userEncoding string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	head := make([]byte, csvSniff)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		_ = f.Close() // read only
		return nil, fmt.Errorf("imports: %w", err)
	}
	head = bytes.TrimPrefix(head[:n], []byte("\ufeff"))
	enc, name, err := sniffEncoding(head, n == csvSniff, userEncoding)
	if err != nil {
		_ = f.Close() // read only
		return nil, problem.Unprocessable("encoding", "%v", err)
	}
	sep := sniffSeparator(head)
	walk := func(ctx context.Context, fn func(int, []string) error) error {
		return walkCSV(f, enc, sep, fn)
	}
	return &table{names: []string{"ledger"}, enc: name, walk: walk, close: func() { _ = f.Close() }}, nil // read only
}

// walkCSV reads the file from its start.
func walkCSV(f *os.File, enc encoding.Encoding, sep rune, fn func(int, []string) error) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("imports: %w", err)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		_, _ = br.Discard(3) // peeked: cannot fail
	}
	var r io.Reader = br
	if enc != nil {
		r = transform.NewReader(br, enc.NewDecoder())
	}
	cr := csv.NewReader(r)
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = sep, -1, true, true
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return problem.Unprocessable("file", "not CSV: %v", err)
		}
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return problem.Unprocessable("encoding", "record %d is not valid UTF-8 though the file began so: give the file's encoding (e.g. GBK)", line)
			}
		}
		if err := fn(0, rec); errors.Is(err, errSkipSheet) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// sniffEncoding decides, from the file's head, between UTF-8 and the user's encoding (GBK when
// none is given), as decodeText does for a whole file. A cut head may end inside a character; a
// head all ASCII says nothing, so the user's encoding, when given, wins there.
func sniffEncoding(head []byte, cut bool, userEncoding string) (encoding.Encoding, string, error) {
	if userEncoding != "" && cut && isASCII(head) {
		return textEncoding(userEncoding)
	}
	for drop := 0; drop <= 3 && drop <= len(head); drop++ {
		if utf8.Valid(head[:len(head)-drop]) {
			return nil, encUTF8, nil
		}
		if !cut {
			break
		}
	}
	if userEncoding == "" {
		userEncoding = encGBK
	}
	enc, name, err := textEncoding(userEncoding)
	if err != nil {
		return nil, "", err
	}
	if enc == nil {
		return nil, "", fmt.Errorf("the file is not valid UTF-8: give its encoding (e.g. GBK)")
	}
	return enc, name, nil
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sniffSeparator picks the most frequent of comma, semicolon and tab in the first line
// (ASCII bytes, the same in UTF-8 and GBK); comma when none appears.
func sniffSeparator(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if m := bytes.Count(line, []byte(string(c))); m > n {
			best, n = c, m
		}
	}
	return best
}
