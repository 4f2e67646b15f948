package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/imports"
)

// initArgs are the flags of `onemap init`.
type initArgs struct {
	city               assets.City
	regions, zones     string
	srs, encoding      string
	admin, displayName string
}

func parseInitFlags(args []string, m *Main) (*initArgs, error) {
	a := &initArgs{}
	fs := flag.NewFlagSet("onemap init", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&a.city.Name, "city-name", "", "the city (or province) served, e.g. 衡阳市")
	fs.StringVar(&a.city.Code, "city-code", "", "its 6-digit 行政区划代码, e.g. 430400")
	fs.StringVar(&a.city.Level, "level", "city", "city or province")
	fs.StringVar(&a.regions, "regions", "", "boundary file of its counties (三调 XZQ layer: zipped Shapefile, GeoPackage, GeoJSON, KML)")
	fs.StringVar(&a.zones, "zones", "", "boundary file of its development zones (optional)")
	fs.StringVar(&a.srs, "srs", "", "source CRS when the files do not say, e.g. EPSG:4524")
	fs.StringVar(&a.encoding, "encoding", "", "text encoding when the files do not say, e.g. GBK")
	fs.StringVar(&a.admin, "admin", "admin", "user name of the first administrator")
	fs.StringVar(&a.displayName, "admin-name", "系统管理员", "display name of the first administrator")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("init: unexpected %q", fs.Arg(0))
	}
	if a.regions == "" {
		return nil, errors.New("init: --regions FILE is required (the counties' boundaries)")
	}
	return a, a.city.Validate()
}

// initCmd sets a database up for a city from nothing: migrates it, stores the city, loads its
// regions (and zones) and creates the first administrator, whose password is printed once and
// must be changed at the first sign-in.
func initCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	a, err := parseInitFlags(args, m)
	if err != nil {
		return err
	}
	pool, err := m.open(ctx, cfg) // migrates
	if err != nil {
		return err
	}
	as := assets.NewService(pool)
	if err := as.SetCity(ctx, a.city); err != nil {
		return err
	}
	svc := imports.NewService(pool, as, importLimits(cfg), m.logger(cfg))
	for _, f := range []struct{ kind, path string }{{imports.PlaceRegion, a.regions}, {imports.PlaceZone, a.zones}} {
		if f.path == "" {
			continue
		}
		rep, err := svc.ImportPlaces(ctx, f.path, imports.PlaceOptions{
			Kind: f.kind, SRS: a.srs, Encoding: a.encoding, FileName: filepath.Base(f.path), Actor: cliActor(),
		})
		if err != nil {
			return fmt.Errorf("init: %s: %w", f.path, err)
		}
		printPlaces(m.Stdout, rep)
	}
	return firstAdmin(ctx, m, auth.NewService(pool), a)
}

// firstAdmin creates the administrator with a generated password, printed once.
func firstAdmin(ctx context.Context, m *Main, users *auth.Service, a *initArgs) error {
	if _, err := users.UserByName(ctx, a.admin); err == nil {
		fmt.Fprintf(m.Stdout, "user %s exists already: left as it is\n", a.admin)
		return nil
	}
	pw, err := auth.GeneratePassword()
	if err != nil {
		return err
	}
	u, err := users.CreateUser(ctx, auth.Actor{Name: cliActor()}, auth.User{Username: a.admin, DisplayName: a.displayName, Role: auth.Admin}, pw, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s (%s) is set up. First administrator: %s / %s\n(shown only now; it must be changed at the first sign-in)\n",
		a.city.Name, a.city.Code, u.Username, pw)
	return nil
}
