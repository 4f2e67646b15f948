package cql2

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a filter that cannot be read or compiled; Pos is the byte offset it refers to (-1
// when it concerns the filter as a whole).
type Error struct {
	Pos int
	Msg string
}

// Error renders the problem with its position.
func (e *Error) Error() string {
	if e.Pos < 0 {
		return e.Msg
	}
	return fmt.Sprintf("at position %d: %s", e.Pos+1, e.Msg)
}

func errAt(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // a bare word: property name, keyword or function name
	tQuoted         // a "double-quoted" property name
	tString         // a 'single-quoted' character literal, unescaped
	tNumber         // an unsigned numeric literal
	tPunct          // ( ) [ ] , = <> < > <= >= + - * / ^ %
)

type token struct {
	kind tokKind
	text string
	pos  int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return "'" + t.text + "'"
	case tQuoted:
		return `"` + t.text + `"`
	}
	return fmt.Sprintf("%q", t.text)
}

// is reports whether t is the bare word or punctuation s (keywords compare case-insensitively).
func (t token) is(s string) bool {
	return (t.kind == tIdent || t.kind == tPunct) && strings.EqualFold(t.text, s)
}

// lex splits the filter into tokens, ending with tEOF.
func lex(src string) ([]token, error) {
	if !utf8.ValidString(src) {
		return nil, errAt(-1, "the filter is not valid UTF-8")
	}
	var toks []token
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '\'':
			t, next, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks, i = append(toks, t), next
		case r == '"':
			t, err := lexQuoted(src, i)
			if err != nil {
				return nil, err
			}
			toks, i = append(toks, t), i+len(t.text)+2
		case isDigit(r) || (r == '.' && i+1 < len(src) && isDigit(rune(src[i+1]))):
			t, next, err := lexNumber(src, i)
			if err != nil {
				return nil, err
			}
			toks, i = append(toks, t), next
		case isIdentStart(r):
			end := identEnd(src, i+size)
			toks, i = append(toks, token{tIdent, src[i:end], i}), end
		default:
			t, err := lexPunct(src, i)
			if err != nil {
				return nil, err
			}
			toks, i = append(toks, t), i+len(t.text)
		}
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

// lexQuoted reads a "double-quoted" property name.
func lexQuoted(src string, start int) (token, error) {
	end := strings.IndexByte(src[start+1:], '"')
	if end < 0 {
		return token{}, errAt(start, "unterminated quoted property name")
	}
	if end == 0 {
		return token{}, errAt(start, "empty quoted property name")
	}
	return token{tQuoted, src[start+1 : start+1+end], start}, nil
}

// identEnd returns where the identifier whose rest starts at i ends.
func identEnd(src string, i int) int {
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		if !isIdentPart(r) {
			break
		}
		i += size
	}
	return i
}

// lexString reads a '...' literal where ” stands for one quote.
func lexString(src string, start int) (token, int, error) {
	var b strings.Builder
	for i := start + 1; i < len(src); i++ {
		if src[i] != '\'' {
			b.WriteByte(src[i])
			continue
		}
		if i+1 < len(src) && src[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return token{tString, b.String(), start}, i + 1, nil
	}
	return token{}, 0, errAt(start, "unterminated character literal (a quote inside is written '')")
}

// lexNumber reads digits [. digits] [e [+-] digits], or . digits.
func lexNumber(src string, start int) (token, int, error) {
	i := start
	digits := func() int {
		n := 0
		for i < len(src) && isDigit(rune(src[i])) {
			i++
			n++
		}
		return n
	}
	digits()
	if i < len(src) && src[i] == '.' {
		i++
		digits()
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if digits() == 0 {
			return token{}, 0, errAt(start, "number %q has an exponent without digits", src[start:i])
		}
	}
	if i < len(src) {
		if r, _ := utf8.DecodeRuneInString(src[i:]); isIdentPart(r) {
			return token{}, 0, errAt(start, "a number runs into %q", string(r))
		}
	}
	return token{tNumber, src[start:i], start}, i, nil
}

var puncts = []string{"<>", "<=", ">=", "(", ")", "[", "]", ",", "=", "<", ">", "+", "-", "*", "/", "^", "%"}

func lexPunct(src string, i int) (token, error) {
	for _, p := range puncts {
		if strings.HasPrefix(src[i:], p) {
			return token{tPunct, p, i}, nil
		}
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return token{}, errAt(i, "unexpected character %q", string(r))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isIdentStart follows the CQL2 BNF: letters, '_' and ':' (and the Unicode letter blocks).
func isIdentStart(r rune) bool {
	return r == '_' || r == ':' || (r < 0x80 && unicode.IsLetter(r)) || (r >= 0xC0 && unicode.IsLetter(r))
}

func isIdentPart(r rune) bool {
	return isIdentStart(r) || isDigit(r) || r == '.' || unicode.Is(unicode.Mn, r)
}

// isPlainIdent reports whether s lexes as one bare identifier.
func isPlainIdent(s string) bool {
	for i, r := range s {
		if (i == 0 && !isIdentStart(r)) || !isIdentPart(r) {
			return false
		}
	}
	return s != ""
}
