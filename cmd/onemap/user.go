package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
)

// demoAccounts are created by `onemap user demo` for the demo city; never use them in production.
var demoAccounts = []auth.User{
	{Username: "admin", DisplayName: "系统管理员", Role: auth.Admin},
	{Username: "analyst", DisplayName: "自然资源局分析员", Role: auth.Analyst},
	{Username: "planner", DisplayName: "规划员", Role: auth.Planner},
	{Username: "leader", DisplayName: "市领导", Role: auth.Leader},
}

const demoPassword = "onemap-demo"

// userCmd: `onemap user add -username U -role R [-region 421202] -password P` or `onemap user demo`.
func userCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "demo") {
		return errors.New("usage: onemap user add -username U -role admin|analyst|planner|leader [-region CODE] [-name 名称] -password P | onemap user demo")
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	svc := auth.NewService(pool)
	if args[0] == "demo" {
		for _, u := range demoAccounts {
			if _, err := svc.CreateUser(ctx, u, demoPassword); err != nil {
				return err
			}
			fmt.Fprintf(m.Stdout, "  %-8s / %s  (%s, %s)\n", u.Username, demoPassword, u.Role, u.DisplayName)
		}
		return nil
	}
	fs := flag.NewFlagSet("onemap user add", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var u auth.User
	var region, password string
	fs.StringVar(&u.Username, "username", "", "login name")
	fs.StringVar(&u.DisplayName, "name", "", "display name")
	fs.StringVar(&u.Role, "role", "", "admin, analyst, planner or leader")
	fs.StringVar(&region, "region", "", "6-digit region code that limits an analyst's edits")
	fs.StringVar(&password, "password", "", "password (at least 8 characters)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if u.Username == "" {
		return errors.New("user add: -username is required")
	}
	if region != "" {
		u.RegionCode = &region
	}
	u, err = svc.CreateUser(ctx, u, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s (%s) saved with id %d\n", u.Username, u.Role, u.ID)
	return nil
}
