package graphsim

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Page size limits of auditLogs/signIns.
const (
	defaultTop = 1000
	maxTop     = 1000
)

// listQuery is a parsed GET auditLogs/signIns request.
type listQuery struct {
	version    string // "v1.0" or "beta"
	filterText string
	filter     filter
	top        int
	after      *cursor // from $skiptoken; nil on the first page
}

// parseListQuery reads the OData options. Option names are matched without
// regard to case, as Graph does ($orderBy appears in its own nextLinks);
// parameters without a '$' are ignored, as Graph ignores them.
func parseListQuery(version string, q url.Values) (listQuery, error) {
	lq := listQuery{version: version, top: defaultTop}
	opts, err := odataOptions(q)
	if err != nil {
		return lq, err
	}
	if text, ok := opts["$filter"]; ok {
		lq.filterText = text
		if lq.filter, err = parseFilter(text, version == "beta"); err != nil {
			return lq, err
		}
	}
	if text, ok := opts["$top"]; ok {
		if lq.top, err = parseTop(text); err != nil {
			return lq, err
		}
	}
	if text, ok := opts["$orderby"]; ok {
		if err := checkOrderBy(text); err != nil {
			return lq, err
		}
	}
	if text, ok := opts["$skiptoken"]; ok {
		c, err := decodeSkipToken(text, queryHash(version, lq.filterText))
		if err != nil {
			return lq, err
		}
		lq.after = &c
	}
	return lq, nil
}

// supportedOptions are the $-options auditLogs/signIns accepts. $select is
// accepted and ignored: records are served whole.
var supportedOptions = map[string]bool{"$filter": true, "$top": true, "$orderby": true, "$select": true, "$skiptoken": true}

// odataOptions returns the $-options keyed by lower-case name, rejecting
// unsupported and repeated ones.
func odataOptions(q url.Values) (map[string]string, error) {
	opts := make(map[string]string, len(q))
	for name, values := range q {
		key := strings.ToLower(name)
		if !strings.HasPrefix(key, "$") {
			continue
		}
		if !supportedOptions[key] {
			return nil, fmt.Errorf("%w: query option '%s' is not supported", ErrBadQuery, name)
		}
		if _, dup := opts[key]; dup || len(values) != 1 {
			return nil, fmt.Errorf("%w: query option '%s' was specified more than once", ErrBadQuery, name)
		}
		opts[key] = values[0]
	}
	return opts, nil
}

func parseTop(text string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 || n > maxTop {
		return 0, fmt.Errorf("%w: invalid $top value '%s'; want an integer from 1 to %d", ErrBadQuery, text, maxTop)
	}
	return n, nil
}

// checkOrderBy accepts the one order the simulator serves.
func checkOrderBy(text string) error {
	f := strings.Fields(text)
	if len(f) == 2 && strings.EqualFold(f[0], "createdDateTime") && strings.EqualFold(f[1], "desc") {
		return nil
	}
	return fmt.Errorf("%w: $orderby '%s' is not supported; only 'createdDateTime desc'", ErrBadQuery, text)
}
