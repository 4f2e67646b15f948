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
	{Username: "reviewer", DisplayName: "市财政局审核员", Role: auth.Reviewer},
}

// demoPassword is the demo accounts' shared password; auth.SeedDemo exempts it from the policy.
const demoPassword = "onemap-demo"

const userUsage = `usage: onemap user add -username U -role admin|analyst|planner|leader|reviewer|reporter [-region CODE] [-unit CODE] [-name 名称] [-password P]
       onemap user demo
       onemap user disable -username U       (ends every session and token)
       onemap user passwd -username U [-password P]   (must be changed at next sign-in)
       onemap user revoke -username U        (ends every session and token)`

// userCmd manages accounts from the command line.
func userCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	sub := map[string]func(context.Context, *Main, *auth.Service, []string) error{
		"add": userAdd, "demo": userDemo, "disable": userDisable, "passwd": userPasswd, "revoke": userRevoke,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		return errors.New(userUsage)
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	return sub[args[0]](ctx, m, auth.NewService(pool, auth.WithPolicy(policy(cfg))), args[1:])
}

// policy is the sign-in and password policy the settings give.
func policy(cfg config.Config) auth.Policy {
	return auth.Policy{
		MaxFailures: cfg.LoginMaxFailures, Lock: cfg.LoginLock, Window: cfg.LoginWindow,
		IPMaxFailures: cfg.LoginIPMaxFailures, PasswordMaxAge: cfg.PasswordMaxAge,
	}
}

func userDemo(ctx context.Context, m *Main, svc *auth.Service, _ []string) error {
	if err := svc.SeedDemo(ctx, demoAccounts, demoPassword); err != nil {
		return err
	}
	for _, u := range demoAccounts {
		fmt.Fprintf(m.Stdout, "  %-8s / %s  (%s, %s)\n", u.Username, demoPassword, u.Role, u.DisplayName)
	}
	return nil
}

// userAdd creates (or replaces) an account whose password must be changed at first sign-in; a
// password is generated and printed when none is given.
func userAdd(ctx context.Context, m *Main, svc *auth.Service, args []string) error {
	fs := flag.NewFlagSet("onemap user add", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var u auth.User
	var region, unit, password string
	fs.StringVar(&u.Username, "username", "", "login name")
	fs.StringVar(&u.DisplayName, "name", "", "display name")
	fs.StringVar(&u.Role, "role", "", "admin, analyst, planner, leader, reviewer or reporter")
	fs.StringVar(&region, "region", "", "6-digit region code that limits an analyst's edits")
	fs.StringVar(&unit, "unit", "", "unit code whose monthly reports a reporter fills (required for reporter)")
	fs.StringVar(&password, "password", "", "password (8+ characters of 3 of upper, lower, digit, symbol); generated when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if u.Username == "" {
		return errors.New("user add: -username is required")
	}
	if region != "" {
		u.RegionCode = &region
	}
	if unit != "" {
		u.UnitCode = &unit
	}
	password, generated, err := orGenerated(password)
	if err != nil {
		return err
	}
	u, err = svc.CreateUser(ctx, auth.Actor{Name: cliActor()}, u, password, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s (%s) saved with id %d; the password must be changed at first sign-in\n", u.Username, u.Role, u.ID)
	if generated {
		fmt.Fprintf(m.Stdout, "password: %s\n", password)
	}
	return nil
}

func orGenerated(pw string) (string, bool, error) {
	if pw != "" {
		return pw, false, nil
	}
	gen, err := auth.GeneratePassword()
	return gen, true, err
}

// usernameFlag parses the -username (and optionally -password) of disable, passwd and revoke.
func usernameFlag(m *Main, name string, args []string, password *string) (string, error) {
	fs := flag.NewFlagSet("onemap user "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	username := fs.String("username", "", "login name")
	if password != nil {
		fs.StringVar(password, "password", "", "new password; generated and printed when empty")
	}
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if *username == "" {
		return "", fmt.Errorf("user %s: -username is required", name)
	}
	return *username, nil
}

func userDisable(ctx context.Context, m *Main, svc *auth.Service, args []string) error {
	name, err := usernameFlag(m, "disable", args, nil)
	if err != nil {
		return err
	}
	a, err := svc.UserByName(ctx, name)
	if err != nil {
		return err
	}
	yes := true
	if _, err := svc.UpdateUser(ctx, auth.Actor{Name: cliActor()}, a.ID, auth.Patch{Disabled: &yes}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "user %s disabled; its sessions and tokens have ended\n", name)
	return nil
}

func userPasswd(ctx context.Context, m *Main, svc *auth.Service, args []string) error {
	var password string
	name, err := usernameFlag(m, "passwd", args, &password)
	if err != nil {
		return err
	}
	a, err := svc.UserByName(ctx, name)
	if err != nil {
		return err
	}
	password, generated, err := orGenerated(password)
	if err != nil {
		return err
	}
	if err := svc.ResetPassword(ctx, auth.Actor{Name: cliActor()}, a.ID, password); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "password of %s reset; it must be changed at next sign-in; its sessions and tokens have ended\n", name)
	if generated {
		fmt.Fprintf(m.Stdout, "password: %s\n", password)
	}
	return nil
}

func userRevoke(ctx context.Context, m *Main, svc *auth.Service, args []string) error {
	name, err := usernameFlag(m, "revoke", args, nil)
	if err != nil {
		return err
	}
	a, err := svc.UserByName(ctx, name)
	if err != nil {
		return err
	}
	n, err := svc.RevokeAll(ctx, auth.Actor{Name: cliActor()}, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%d sessions and tokens of %s revoked\n", n, name)
	return nil
}
