package plugin

import "errors"

// ErrSettings marks a datasource configuration that cannot work; the message names the field.
var ErrSettings = errors.New("invalid datasource settings")
