package config

import (
	"flag"
	"strings"
)

// passThrough reorders args so that fs.Parse reads the shared settings and leaves, in fs.Args(),
// every flag fs does not define (a subcommand's own, such as demo's --parcels) together with the
// positional arguments, in their original order. The flag package alone stops at the first
// flag it does not know with an error, so without this a subcommand could have no flags.
// -h and -help stay with fs, which prints the shared settings.
func passThrough(fs *flag.FlagSet, args []string) []string {
	var known, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		name, inline := flagName(a)
		if name == "h" || name == "help" {
			known = append(known, a)
			continue
		}
		f := fs.Lookup(name)
		if name == "" || f == nil {
			rest = append(rest, a)
			continue
		}
		known = append(known, a)
		if !inline && !isBool(f) && i+1 < len(args) {
			i++
			known = append(known, args[i])
		}
	}
	if len(rest) == 0 {
		return known
	}
	return append(append(known, "--"), rest...)
}

// flagName returns the name of a -flag or --flag argument ("" for a positional one) and whether
// its value is given inline (-flag=value).
func flagName(a string) (string, bool) {
	if len(a) < 2 || a[0] != '-' {
		return "", false
	}
	name := strings.TrimPrefix(a[1:], "-")
	if name == "" || name[0] == '-' || name[0] == '=' {
		return "", false
	}
	if k := strings.IndexByte(name, '='); k >= 0 {
		return name[:k], true
	}
	return name, false
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
