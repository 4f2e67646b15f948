package main

import (
	"flag"
	"io"
	"strings"

	"github.com/onemap/onemap/internal/config"
)

// ownFlags gives, per command that has flags of its own, a FlagSet declaring them, so that
// they may stand anywhere among the settings flags (onemap import -db URL --kind land f.zip).
var ownFlags = map[string]func(io.Writer) (*flag.FlagSet, any){
	"import": importFlags,
	"export": exportFlags,
}

// splitOwnFlags moves the command's own flags (with their values) out of args, leaving the
// settings flags and the arguments for config.Load.
func splitOwnFlags(name string, args []string) (settings, own []string) {
	mk, ok := ownFlags[name]
	if !ok {
		return args, nil
	}
	fs, _ := mk(io.Discard)
	// The settings' own FlagSet tells which of them take no value.
	_, cfs, _ := config.Load("onemap", nil, func(string) string { return "" }, io.Discard) // its defaults are valid
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-h" || a == "--help" || a == "-help" {
			own = append(own, a)
			continue
		}
		if a == "--" || !strings.HasPrefix(a, "-") {
			return append(settings, args[i:]...), own
		}
		key, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(key)
		if f == nil {
			settings = append(settings, a)
			if !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && !isBool(cfs, key) {
				i++
				settings = append(settings, args[i])
			}
			continue
		}
		own = append(own, a)
		if !hasValue && !isBool(fs, key) && i+1 < len(args) {
			i++
			own = append(own, args[i])
		}
	}
	return settings, own
}

// isBool tells whether fs's flag name takes no value.
func isBool(fs *flag.FlagSet, name string) bool {
	if fs == nil {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
