package main

// commands lists the subcommands; each lives in its own file.
func commands() map[string]command {
	return map[string]command{
		"serve":   serveCmd,
		"migrate": migrateCmd,
		"user":    userCmd,
		"import":  importCmd,
		"export":  exportCmd,
		"demo":    demoCmd,
		"tiles":   tilesCmd,
		"audit":   auditCmd,
		"init":    initCmd,
	}
}
