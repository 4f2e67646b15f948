package auth

import (
	"crypto/rand"
	"math/big"
	"strings"
	"unicode"

	"github.com/onemap/onemap/internal/problem"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// CheckPassword applies the password policy to every password set: at least MinPasswordLen
// characters from at least 3 of the 4 classes (upper case, lower case, digit, symbol), and not
// containing the user name. A failure is a 422 naming field.
func CheckPassword(field, username, password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return problem.Unprocessable(field, "must have at least %d characters", MinPasswordLen)
	}
	if n := classes(password); n < 3 {
		return problem.Unprocessable(field, "must mix at least 3 of upper case, lower case, digits and symbols (has %d)", n)
	}
	if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
		return problem.Unprocessable(field, "must not contain the user name")
	}
	return nil
}

func classes(pw string) int {
	var up, low, digit, sym bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			digit = true
		default:
			sym = true
		}
	}
	n := 0
	for _, b := range []bool{up, low, digit, sym} {
		if b {
			n++
		}
	}
	return n
}

// GeneratePassword returns a random 14-character password that meets the policy.
func GeneratePassword() (string, error) {
	const (
		upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower = "abcdefghijkmnopqrstuvwxyz"
		digit = "23456789"
		sym   = "-_.!@#%+="
	)
	sets := []string{upper, lower, digit, sym}
	out := make([]byte, 14)
	for i := range out {
		set := sets[i%4]
		if i >= 4 {
			set = upper + lower + digit
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", err
		}
		out[i] = set[n.Int64()]
	}
	return string(out), nil
}
