package demo

import (
	"math/rand/v2"
	"strings"
)

// Common surnames of southern Hubei, and characters for given names.
var (
	surnames   = []rune("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇浩凯俊峰晨林波宁亮健兵新春海燕玲琴云飞成龙德才勤思雨")
)

// person returns a plausible Chinese name of two or three characters.
func person(r *rand.Rand) string {
	var b strings.Builder
	b.WriteRune(surnames[r.IntN(len(surnames))])
	b.WriteRune(givenChars[r.IntN(len(givenChars))])
	if r.IntN(4) != 0 {
		b.WriteRune(givenChars[r.IntN(len(givenChars))])
	}
	return b.String()
}

// Words that make up enterprise names: a trade name and an industry.
var (
	tradeNames = []string{
		"华新", "金盛", "恒达", "鑫源", "长江", "鄂南", "楚天", "宏泰", "瑞丰", "中源", "汇通", "星河",
		"天成", "博瑞", "信达", "三江", "凯迪", "永盛", "富华", "嘉禾", "东方", "南山", "鼎盛", "润泽", "九宫", "香城",
	}
	industries = []string{
		"新材料", "纺织", "机电", "食品", "建材", "电子科技", "生物医药", "置业", "物流", "光电", "汽车零部件",
		"智能装备", "农产品加工", "竹木制品", "茶业", "化工", "电力", "精密制造",
	}
)

// enterprise returns an enterprise name seated in place, e.g. 咸宁金盛新材料有限公司.
func enterprise(r *rand.Rand, place string) string {
	suffix := "有限公司"
	if r.IntN(5) == 0 {
		suffix = "股份有限公司"
	}
	return place + tradeNames[r.IntN(len(tradeNames))] + industries[r.IntN(len(industries))] + suffix
}

// pick returns one of xs chosen by weight: ws[i] is xs[i]'s relative weight.
func pick[T any](r *rand.Rand, xs []T, ws []float64) T {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	u := r.Float64() * total
	for i, w := range ws {
		if u < w {
			return xs[i]
		}
		u -= w
	}
	return xs[len(xs)-1]
}

// one returns a uniformly chosen element of xs.
func one[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns a uniform value in [lo, hi).
func between(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
