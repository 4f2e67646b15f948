package auth

import (
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		user, pw string
		want     string // "" accepts; else a word of the reason
	}{
		{"alice", "Abcdef12", ""},            // upper, lower, digit
		{"alice", "abcdef1!", ""},            // lower, digit, symbol
		{"alice", "ABCDEF1!", ""},            // upper, digit, symbol
		{"alice", "Abcdefg!", ""},            // upper, lower, symbol
		{"alice", "资产管理Ab12", ""},            // CJK counts as a symbol character, 8 runes
		{"alice", "Abc12!", "at least 8"},    // too short
		{"alice", "abcdefgh1", "3 of"},       // two classes
		{"alice", "onemap-demo", "3 of"},     // the demo password fails the policy
		{"alice", "ABCDEFGHIJ", "3 of"},      // one class
		{"alice", "xxAlice-99", "user name"}, // contains the name, any case
		{"bob", "Bob12345!", "user name"},    // contains the name
		{"", "Abcdef12", ""},                 // no name to compare
	}
	for _, tt := range tests {
		err := CheckPassword("password", tt.user, tt.pw)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s/%q: %v, want accepted", tt.user, tt.pw, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s/%q: %v, want refused (%s)", tt.user, tt.pw, err, tt.want)
		case err != nil && !strings.Contains(err.Error(), "password"):
			t.Errorf("%q: %v does not name the field", tt.pw, err)
		}
	}
}

func TestGeneratePasswordMeetsPolicy(t *testing.T) {
	for range 200 {
		pw, err := GeneratePassword()
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPassword("password", "admin", pw); err != nil {
			t.Fatalf("%q: %v", pw, err)
		}
	}
}
