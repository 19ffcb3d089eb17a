package bench

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"}

// LinePlot draws metric against N, one line per DUT (successful runs
// only), with logarithmic N. ok is false when there is nothing to draw.
func LinePlot(rs []*Record, sc, metric, title string) (string, bool) {
	series := map[string][][2]float64{}
	for _, r := range rs {
		if r.Scenario != sc || !r.OK {
			continue
		}
		v, ok := r.Metrics[metric]
		if !ok {
			continue
		}
		name := r.DUT
		if r.Mode != "" {
			name += " " + r.Mode
		}
		series[name] = append(series[name], [2]float64{float64(r.N), v})
	}
	if len(series) == 0 {
		return "", false
	}
	const W, H, L, R, T, B = 640.0, 400.0, 70.0, 200.0, 40.0, 50.0
	minX, maxX, maxY := math.Inf(1), math.Inf(-1), 0.0
	names := make([]string, 0, len(series))
	for n, pts := range series {
		names = append(names, n)
		sort.Slice(pts, func(i, j int) bool { return pts[i][0] < pts[j][0] })
		for _, p := range pts {
			minX, maxX, maxY = math.Min(minX, p[0]), math.Max(maxX, p[0]), math.Max(maxY, p[1])
		}
	}
	sort.Strings(names)
	if maxY == 0 {
		maxY = 1
	}
	lx := func(x float64) float64 {
		if maxX == minX {
			return L + (W-L-R)/2
		}
		return L + (math.Log10(x)-math.Log10(minX))/(math.Log10(maxX)-math.Log10(minX))*(W-L-R)
	}
	ly := func(y float64) float64 { return H - B - y/maxY*(H-T-B) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`, W, H)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="20" font-size="14">%s</text>`, L, title)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, L, H-B, W-R, H-B)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`, L, T, L, H-B)
	for i := 0; i <= 4; i++ {
		y := maxY * float64(i) / 4
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%s</text>`, L-5, ly(y)+4, short(y))
	}
	for _, n := range names {
		for _, p := range series[n] {
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">%s</text>`, lx(p[0]), H-B+16, short(p[0]))
		}
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">peers (N, log scale)</text>`, (L+W-R)/2, H-10)
	for i, n := range names {
		c := palette[i%len(palette)]
		var pts []string
		for _, p := range series[n] {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", lx(p[0]), ly(p[1])))
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, lx(p[0]), ly(p[1]), c)
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), c)
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="12" fill="%s"/><text x="%.0f" y="%.0f">%s</text>`, W-R+15, T+float64(i)*20, c, W-R+32, T+float64(i)*20+10, n)
	}
	b.WriteString("</svg>\n")
	return b.String(), true
}

func short(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
