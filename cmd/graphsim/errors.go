package main

import "errors"

// errUsage marks errors in the command line (the user's fault); main exits 2
// for them, as flag does.
var errUsage = errors.New("usage")
