package kql

// project checks a project: bare columns of the table, and
// Name = column_ifexists("Name", ""), whose value is the column's where the
// table has it and an empty string where it does not.
func (c *checker) project(p Project) error {
	if c.plan.Aggregates != nil {
		return semanticErr(CodeUnsupported, "project", "graphsim does not project the columns of an aggregation")
	}
	c.plan.Output = []Output{}
	for _, item := range p.Items {
		out, err := c.projectItem(item)
		if err != nil {
			return err
		}
		if err := c.unique(out.Name, "project"); err != nil {
			return err
		}
		c.plan.Output = append(c.plan.Output, out)
	}
	return nil
}

func (c *checker) projectItem(item Assign) (Output, error) {
	if item.Name == nil {
		col, ok := item.Value.(Column)
		if !ok {
			return Output{}, c.unsupportedOperand("project", item.Value)
		}
		def, exists := c.column(col.Text)
		if !exists {
			return Output{}, semanticErr(CodeResolve, "project", "Failed to resolve scalar expression named '%s'", col.Text)
		}
		return Output{Name: def.Name, Type: def.Type, Source: def.Name}, nil
	}
	call, ok := item.Value.(Call)
	if !ok || call.Func.Text != "column_ifexists" {
		if col, isCol := item.Value.(Column); isCol {
			if _, exists := c.column(col.Text); exists {
				return Output{}, semanticErr(CodeUnsupported, "project", "graphsim does not rename columns ('%s = %s')", item.Name.Text, col.Text)
			}
		}
		return Output{}, c.unsupportedOperand("project", item.Value)
	}
	return c.ifExists(item.Name.Text, call)
}

// ifExists checks Name = column_ifexists("Name", "").
func (c *checker) ifExists(name string, call Call) (Output, error) {
	if len(call.Args) != 2 {
		return Output{}, c.argError("project", call, `column_ifexists("Name", "")`)
	}
	col, ok1 := call.Args[0].(String)
	def, ok2 := call.Args[1].(String)
	if !ok1 || !ok2 || def.Value != "" || col.Value != name {
		return Output{}, semanticErr(CodeUnsupported, "project", `graphsim reads %s = column_ifexists("%s", "") only`, name, name)
	}
	if d, exists := c.column(col.Value); exists {
		return Output{Name: name, Type: d.Type, Source: d.Name}, nil
	}
	return Output{Name: name, Type: TypeString}, nil
}
