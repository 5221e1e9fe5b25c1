package wordmodel

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// TrainOptions are the settings of Train.
type TrainOptions struct {
	// Categories are the category ids to train, in order.
	Categories []string
	// MinDocs is how many sentences a word must occur in (2 if zero).
	MinDocs int
	// C is the inverse L2 regularisation strength (4 if zero).
	C float64
	// MinPositives is how many sentences labelled with a category it needs
	// to get weights (3 if zero): below it the model does not judge it.
	MinPositives int
	// VetoBelow is stored in the model.
	VetoBelow float64
	// Sources name the files the samples came from, for the record.
	Sources []string
}

// Train fits one class-balanced, L2-regularised logistic regression per
// category over the samples' TF-IDF word vectors. Categories with fewer
// than MinPositives positive samples get no weights (the model never
// vetoes them). Training is deterministic.
func Train(samples []Sample, o TrainOptions) (*Model, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("word model: no training sentences")
	}
	if o.MinDocs == 0 {
		o.MinDocs = 2
	}
	if o.C == 0 {
		o.C = 4
	}
	if o.MinPositives == 0 {
		o.MinPositives = 3
	}
	docs := make([][]string, len(samples))
	df := map[string]int{}
	companies := map[string]bool{}
	for i, s := range samples {
		docs[i] = Words(s.Text)
		companies[s.Company] = true
		seen := map[string]bool{}
		for _, w := range docs[i] {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var vocab []string
	for w, n := range df {
		if n >= o.MinDocs {
			vocab = append(vocab, w)
		}
	}
	sort.Strings(vocab)
	n := float64(len(samples))
	m := &Model{
		VetoBelow: o.VetoBelow, Words: vocab, IDF: make([]float64, len(vocab)),
		Categories: map[string]*Weights{},
		Trained: TrainingFacts{Sentences: len(samples), Companies: len(companies), Sources: o.Sources,
			MinDocs: o.MinDocs, C: o.C, MinPositives: o.MinPositives},
	}
	for i, w := range vocab {
		m.IDF[i] = math.Log((1+n)/(1+float64(df[w]))) + 1
	}
	m.buildIndex()
	xs := make([][]feature, len(samples))
	for i, words := range docs {
		xs[i] = m.vectorOf(words)
	}
	for _, cat := range o.Categories {
		ys := make([]bool, len(samples))
		pos := 0
		for i, s := range samples {
			if slices.Contains(s.Categories, cat) {
				ys[i] = true
				pos++
			}
		}
		if pos < o.MinPositives || pos == len(samples) {
			continue
		}
		w, b := fitLogistic(xs, ys, len(vocab), o.C, pos)
		m.Categories[cat] = &Weights{Positives: pos, Bias: b, W: w}
	}
	return m, nil
}

// fitLogistic minimises ½‖w‖² + C·Σ sᵢ·logloss(yᵢ, wᵀxᵢ+b) with balanced
// sample weights sᵢ (n/2 over the size of the sample's class) by L-BFGS.
// The intercept is not regularised.
func fitLogistic(xs [][]feature, ys []bool, dim int, c float64, pos int) ([]float64, float64) {
	n := float64(len(xs))
	wPos, wNeg := n/(2*float64(pos)), n/(2*(n-float64(pos)))
	// theta holds the weights, then the intercept
	eval := func(theta, grad []float64) float64 {
		b := theta[dim]
		f := 0.0
		for k := range dim {
			f += 0.5 * theta[k] * theta[k]
			grad[k] = theta[k]
		}
		grad[dim] = 0
		for i, x := range xs {
			z := b + dot(theta[:dim], x)
			s, y := wNeg, 0.0
			if ys[i] {
				s, y = wPos, 1
			}
			// log(1+e^z) − y·z, computed stably
			loss := math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - y*z
			f += c * s * loss
			g := c * s * (sigmoid(z) - y)
			for _, ft := range x {
				grad[ft.word] += g * ft.value
			}
			grad[dim] += g
		}
		return f
	}
	theta := lbfgs(eval, dim+1, 400, 1e-5)
	return theta[:dim], theta[dim]
}

// lbfgs minimises a smooth convex function from zero with limited-memory
// BFGS (ten corrections) and a backtracking line search, until the largest
// gradient component is below tol or after maxIter iterations.
func lbfgs(eval func(x, grad []float64) float64, dim, maxIter int, tol float64) []float64 {
	const memory = 10
	x := make([]float64, dim)
	g := make([]float64, dim)
	f := eval(x, g)
	var ss, ys [][]float64
	var rhos []float64
	xNew := make([]float64, dim)
	gNew := make([]float64, dim)
	dir := make([]float64, dim)
	alpha := make([]float64, memory)
	for iter := 0; iter < maxIter; iter++ {
		if maxAbs(g) < tol {
			break
		}
		// two-loop recursion: dir = −H·g
		copy(dir, g)
		for k := len(ss) - 1; k >= 0; k-- {
			alpha[k] = rhos[k] * vdot(ss[k], dir)
			axpy(-alpha[k], ys[k], dir)
		}
		if len(ss) > 0 {
			last := len(ss) - 1
			scale(vdot(ss[last], ys[last])/vdot(ys[last], ys[last]), dir)
		} else {
			scale(1/math.Max(1, math.Sqrt(vdot(g, g))), dir)
		}
		for k := range ss {
			beta := rhos[k] * vdot(ys[k], dir)
			axpy(alpha[k]-beta, ss[k], dir)
		}
		scale(-1, dir)
		slope := vdot(g, dir)
		if slope >= 0 { // not a descent direction: restart from the gradient
			ss, ys, rhos = nil, nil, nil
			copy(dir, g)
			scale(-1/math.Max(1, math.Sqrt(vdot(g, g))), dir)
			slope = vdot(g, dir)
		}
		step := 1.0
		var fNew float64
		for tries := 0; ; tries++ {
			for k := range x {
				xNew[k] = x[k] + step*dir[k]
			}
			fNew = eval(xNew, gNew)
			if fNew <= f+1e-4*step*slope || tries == 40 {
				break
			}
			step /= 2
		}
		s := make([]float64, dim)
		y := make([]float64, dim)
		for k := range x {
			s[k] = xNew[k] - x[k]
			y[k] = gNew[k] - g[k]
		}
		if sy := vdot(s, y); sy > 1e-12 {
			if len(ss) == memory {
				ss, ys, rhos = ss[1:], ys[1:], rhos[1:]
			}
			ss, ys, rhos = append(ss, s), append(ys, y), append(rhos, 1/sy)
		}
		converged := f-fNew <= 1e-12*math.Max(1, math.Abs(f))
		copy(x, xNew)
		copy(g, gNew)
		f = fNew
		if converged {
			break
		}
	}
	return x
}

func vdot(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for k := range x {
		y[k] += a * x[k]
	}
}

func scale(a float64, x []float64) {
	for k := range x {
		x[k] *= a
	}
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
