package block

func (t *Profiles) Debug(logf func(string, ...any)) {
	for g := range t.groups {
		logf("  group %d: %d tuples", g, len(t.groups[g].index))
	}
	big := 0
	for i := range t.dicts {
		big += len(t.dicts[i].strIndex) + len(t.dicts[i].numIndex)
	}
	logf("  dict values %d", big)
}
