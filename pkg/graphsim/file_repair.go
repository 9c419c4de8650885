package graphsim

// withoutTrailingCommas removes commas that directly precede a closing bracket
// or brace, outside strings. Microsoft's own documentation publishes sign-in
// examples with such commas, and exports pasted from it carry them; JSON does
// not allow them. A file is repaired only after it failed to parse as it is,
// and the repaired bytes are what is served, so clients always get valid JSON.
func withoutTrailingCommas(data []byte) []byte {
	out := make([]byte, 0, len(data))
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == ',' && closesNext(data[i+1:]):
			continue
		}
		out = append(out, c)
	}
	return out
}

// closesNext reports whether the next non-space byte closes an array or object.
func closesNext(rest []byte) bool {
	for _, c := range rest {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case ']', '}':
			return true
		}
		return false
	}
	return false
}
