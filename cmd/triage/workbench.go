package main

import (
	"context"
	"fmt"
	"io"
)

func runWorkbench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	return exitError{code: 1, msg: "the workbench is not built yet; use triage scan"}
}
