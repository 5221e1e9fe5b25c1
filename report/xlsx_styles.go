package report

import "github.com/xuri/excelize/v2"

// xlsxStyles holds the workbook's style ids.
type xlsxStyles struct {
	header, title, bold, date, month, dateTime, wrap, mono int
	// conditional formats
	cfHigh, cfMedium, cfLow, cfDone, cfProgress, cfNA, cfOverdue int
}

// newStyles creates the workbook's cell and conditional styles.
func (x *xlsxDoc) newStyles() error {
	s := &x.styles
	var err error
	add := func(dst *int, st *excelize.Style) {
		if err == nil {
			*dst, err = x.f.NewStyle(st)
		}
	}
	cond := func(dst *int, st *excelize.Style) {
		if err == nil {
			*dst, err = x.f.NewConditionalStyle(st)
		}
	}
	dateFmt, dateTimeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	top := &excelize.Alignment{Vertical: "top"}
	add(&s.header, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	add(&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F4E79"}})
	add(&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top})
	add(&s.date, &excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}})
	monthFmt := "yyyy-mm"
	add(&s.month, &excelize.Style{CustomNumFmt: &monthFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}})
	add(&s.dateTime, &excelize.Style{CustomNumFmt: &dateTimeFmt, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}})
	add(&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	add(&s.mono, &excelize.Style{Font: &excelize.Font{Family: "Consolas", Size: 9}, Alignment: top})
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	cond(&s.cfHigh, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}, Fill: fill("FFC7CE")})
	cond(&s.cfMedium, &excelize.Style{Font: &excelize.Font{Color: "9C5700"}, Fill: fill("FFEB9C")})
	cond(&s.cfLow, &excelize.Style{Font: &excelize.Font{Color: "1F4E79"}, Fill: fill("DDEBF7")})
	cond(&s.cfDone, &excelize.Style{Font: &excelize.Font{Color: "006100"}, Fill: fill("C6EFCE")})
	cond(&s.cfProgress, &excelize.Style{Font: &excelize.Font{Color: "9C5700"}, Fill: fill("FFEB9C")})
	cond(&s.cfNA, &excelize.Style{Font: &excelize.Font{Color: "808080", Italic: true}})
	cond(&s.cfOverdue, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}, Fill: fill("FFC7CE")})
	return err
}
