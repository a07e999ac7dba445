//go:build ignore

// gen_long writes samples/parliament-record.txt, the long sample article: a
// fictional official report of a provincial assembly, composed
// deterministically from the hand-written building blocks below (members,
// ministers, questions, answers, bills and speeches). Run it with
// `go run gen_long.go` in this folder; the output is committed.
package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"
	"time"
)

const target = 350 << 10 // bytes

type member struct {
	name, seat, party string
}

var members = []member{
	{"Helena Marsh", "Northgate", "Green Coalition"},
	{"Robert Aldane", "Kettering Vale", "National Liberal"},
	{"Amina Yusuf", "Riverside East", "Progressive Alliance"},
	{"Colm Brannigan", "Harrow Fells", "Rural Party"},
	{"Sofia Lindqvist", "Port Alder South", "Progressive Alliance"},
	{"Gareth Pryce", "Millbrook", "National Liberal"},
	{"Nkechi Obi", "Westferry", "Progressive Alliance"},
	{"Thomas Earle", "Durnford", "National Liberal"},
	{"Margit Halvorsen", "Lower Wend", "Green Coalition"},
	{"Patrick Doyle", "Carrick Moor", "Rural Party"},
	{"Leila Haddad", "Eastbank", "Progressive Alliance"},
	{"Jonathan Wray", "Ashcombe", "National Liberal"},
	{"Bronwen Ellis", "Glas Valley", "Green Coalition"},
	{"Arjun Mehta", "Central Harbour", "Progressive Alliance"},
	{"Fiona Strachan", "Kelso Rise", "Independent"},
	{"Daniel Kovač", "Station Quarter", "National Liberal"},
	{"Grace Adeyemi", "Southmere", "Progressive Alliance"},
	{"Hugh Penrose", "Tamar Cross", "Rural Party"},
	{"Ingrid Solberg", "Fenwick", "Green Coalition"},
	{"Marcus Bell", "Oldcastle", "National Liberal"},
	{"Rosa Quintero", "Canal Ward", "Progressive Alliance"},
	{"Alistair Gunn", "North Uplands", "Rural Party"},
	{"Yasmin Rahman", "Brickfields", "Progressive Alliance"},
	{"Edward Castell", "Queensferry", "National Liberal"},
}

type minister struct{ title, name string }

var (
	speaker       = "Dame Eleanor Whitcombe"
	deputySpeaker = "Mr Owen Tregarth"
	ministers     = map[string]minister{
		"housing":   {"The Minister for Housing and Planning", "Daniel Osei"},
		"health":    {"The Minister for Health", "Dr Miriam Costa"},
		"transport": {"The Minister for Transport", "Kieran Walsh"},
		"energy":    {"The Minister for Energy and Climate", "Anneliese Brandt"},
		"finance":   {"The Minister for Finance", "Rajiv Narang"},
		"education": {"The Minister for Education", "Catriona Ross"},
		"rural":     {"The Minister for Rural Affairs", "Owain Pritchard"},
		"justice":   {"The Minister for Justice", "Beatrice Laurent"},
		"first":     {"The First Minister", "Alexandra Hale"},
	}
)

type topic struct {
	heading, portfolio string
	questions          []string // "What assessment …?" — the tabled question
	answers            []string // the minister's first answer, sentence by sentence
	// answerFor[q] lists the answers that fit question q (default: answer q);
	// supFor[q] the supplementary (default: supplementary q).
	answerFor       map[int][]int
	supFor          map[int]int
	supplementaries []string
	replies         []string
}

var topics = []topic{
	{
		heading: "Housing and Planning", portfolio: "housing",
		answerFor: map[int][]int{0: {0, 1}, 1: {2}, 2: {3}, 3: {4}, 4: {5}},
		supFor:    map[int]int{4: 0},
		questions: []string{
			"What assessment the Minister has made of the number of affordable homes completed in {seat} in the last year.",
			"What steps the Minister is taking to speed up planning decisions for developments of more than {small} homes.",
			"Whether the Minister will review the rules on short-term holiday lets in coastal towns.",
			"What progress has been made on the harbour regeneration scheme.",
			"What support is available to tenants facing rent increases above {pct}.",
		},
		answers: []string{
			"In the last financial year {count} affordable homes were completed across the province, {pct} more than in the year before.",
			"In the Member’s constituency the figure was {small}, and a further {small} are under construction.",
			"We have given planning authorities an additional {money} to recruit case officers, and the average time to decide a major application has fallen from {hi} weeks to {lo} weeks.",
			"I will publish revised guidance on holiday lets before the summer recess, and I have asked officials to consult local councils first.",
			"The harbour scheme remains on course, with the first phase of {small} homes due for completion in {year}.",
			"The tenancy support fund has helped {count} households this year, and I have extended it until March {year}.",
		},
		supplementaries: []string{
			"The Minister will know that waiting lists in my constituency have grown by {pct} since {past}. Families are being housed in bed and breakfasts miles from their children’s schools. Will he commit today to a target date for clearing the backlog?",
			"I welcome the extra funding, but case officers cannot be trained overnight. Will the Minister consider allowing neighbouring councils to share planning teams?",
			"Is the Minister aware that in some villages more than a third of homes are now second homes or holiday lets? What does he say to young people who grew up there and cannot afford to stay?",
			"Does the Minister agree that the harbour scheme must include a binding share of social rented homes, not merely “affordable” ones?",
		},
		replies: []string{
			"I understand the Member’s frustration, and I share it. I will not set a date I cannot meet, but I will write to the Member with a timetable for her area by the end of the month.",
			"That is a sensible suggestion. Several councils already share specialist officers, and I would be glad to meet the Member to discuss how we can encourage more of it.",
			"I do. The consultation will include a power for councils to require planning permission before a home is converted into a holiday let, and I hope Members on all sides will respond to it.",
			"The scheme’s conditions already require {pct} of homes to be let at social rents, and I have no intention of weakening that.",
		},
	},
	{
		heading: "Health", portfolio: "health",
		answerFor: map[int][]int{1: {1}, 2: {2}, 3: {3, 4}},
		supFor:    map[int]int{0: 0, 1: 2, 2: 1, 3: 3},
		questions: []string{
			"What recent assessment the Minister has made of waiting times at {seat} General Hospital.",
			"What plans the Minister has to recruit additional community nurses.",
			"Whether the Minister will publish the review of ambulance response times in rural areas.",
			"What steps are being taken to reduce delayed discharges from hospital.",
		},
		answers: []string{
			"The median wait for planned treatment in the province is now {weeks} weeks, down from {weeks} weeks a year ago.",
			"We have recruited {small} additional community nurses since April, and we are on track to meet our commitment of {count} by the end of the parliament.",
			"The review of ambulance response times will be published in full next month.",
			"On an average day {small} patients who are medically fit to leave hospital remain there because care is not available at home, and reducing that number is my first priority this winter.",
			"I have made {money} available to councils to buy care-home places and home-care hours for patients leaving hospital.",
		},
		supplementaries: []string{
			"A constituent of mine waited {weeks} weeks for a hip operation, in constant pain, and was told last week that it had been postponed again. What does the Minister say to her?",
			"The Minister’s figures are averages. In rural areas, an ambulance can take more than an hour to arrive. Will she set a maximum response time, not just an average one?",
			"Will the Minister confirm that the new nurses are additional posts and not simply vacancies that have been filled?",
			"Care workers in my area are paid less than supermarket staff. Is it any wonder that patients cannot be discharged?",
		},
		replies: []string{
			"I am very sorry to hear about the Member’s constituent. If he will pass me the details, I will ask the hospital to look at her case today.",
			"The review addresses exactly that point, and I expect it to recommend a standard for the longest waits as well as the average.",
			"I can confirm that every one of them is an additional post, funded from the {money} announced in the budget.",
			"The Member makes a fair point. We have raised the minimum rate for care workers by {pct}, and I accept that there is more to do.",
		},
	},
	{
		heading: "Transport", portfolio: "transport",
		answerFor: map[int][]int{0: {0, 4}},
		questions: []string{
			"What the timetable is for reopening the railway line between {seat} and the coast.",
			"What assessment the Minister has made of the reliability of bus services in rural areas.",
			"Whether the Minister will extend the young persons’ free travel scheme.",
			"What steps the Minister is taking to reduce potholes on trunk roads.",
		},
		answers: []string{
			"The business case for reopening the line was approved in {past}, and detailed design work is now under way.",
			"Across the province, {pcthi} of rural bus services ran on time in the last quarter, against a target of 95%.",
			"The free travel scheme now covers {count} young people, and {count} journeys were made under it last year.",
			"We have allocated {money} for road resurfacing this year, the largest sum for more than a decade.",
			"I will make a further statement on rail reopenings when the design work is complete.",
		},
		supplementaries: []string{
			"My constituents have heard promises about this line for twenty years. Can the Minister tell them, plainly, in which year the first train will run?",
			"Does the Minister accept that a bus that runs on time is of little use if it runs only twice a day?",
			"Will the Minister look at extending the scheme to apprentices up to the age of 25, who often earn very little?",
			"The road to {seat} has been patched so many times that the patches now need patching. When will it be properly resurfaced?",
		},
		replies: []string{
			"I would rather give the Member a date I am confident of than one that makes a good headline. I expect to be able to do so in the spring.",
			"I do accept that, and the bus improvement partnerships we are setting up are intended to increase frequency as well as punctuality.",
			"I am happy to look at that, and I will ask officials to cost it for the next budget.",
			"That road is in the resurfacing programme for the coming financial year, and I will ask the roads authority to write to the Member with the dates.",
		},
	},
	{
		heading: "Energy and Climate", portfolio: "energy",
		questions: []string{
			"What progress has been made towards the target of net zero emissions by {future}.",
			"What support is available to households installing heat pumps.",
			"What assessment the Minister has made of the security of electricity supply this winter.",
			"Whether the Minister will bring forward proposals for community ownership of wind farms.",
		},
		answers: []string{
			"Emissions in the province fell by {pct} last year and are now {pct} below their {past} level.",
			"The home heating grant now covers up to {grant} of the cost of a heat pump, and {count} households have applied since it opened.",
			"The grid operator’s winter outlook shows a reserve margin of {pct}, which is lower than last year but within the planning standard.",
			"I will publish a consultation on community ownership of new onshore wind schemes in the new year.",
		},
		supplementaries: []string{
			"The Minister talks about targets, but the independent climate committee says we are off track in four sectors out of six. Which of those does she intend to fix first?",
			"A heat pump still costs my constituents more to run than a gas boiler. What is the Minister doing about the price of electricity?",
			"Will the Minister guarantee that no household will be disconnected because it cannot pay its bill this winter?",
			"Communities that host wind farms see the turbines but not the benefits. Will the consultation include a right to buy a share?",
		},
		replies: []string{
			"Buildings and transport are the largest gaps, and the heating and bus measures I have described are aimed squarely at them.",
			"The balance between gas and electricity prices is largely set by levies decided elsewhere, but we have pressed for those levies to be moved off electricity bills.",
			"The suppliers have agreed a voluntary moratorium on disconnections between November and March, and I expect them to honour it.",
			"Yes. A right to buy a share of at least {pct} will be one of the options we consult on.",
		},
	},
	{
		heading: "Education", portfolio: "education",
		questions: []string{
			"What steps the Minister is taking to recruit teachers in science and mathematics.",
			"What assessment the Minister has made of school attendance since {past}.",
			"Whether the Minister will expand free school meals to all primary pupils.",
			"What plans the Minister has for rural schools with fewer than {small} pupils.",
		},
		answers: []string{
			"This year we recruited {small} new teachers of physics, chemistry and mathematics, {pct} more than last year, helped by a bursary of {grant}.",
			"Persistent absence has fallen from {pcthi} to {pctlo} of pupils, but it remains well above the level before the pandemic.",
			"Free school meals are now provided to all pupils in the first three years of primary school, and we will extend them to all primary pupils from August {year}.",
			"There is no policy to close small rural schools, and any proposal to do so must be approved by me after a full local consultation.",
		},
		supplementaries: []string{
			"The bursary is welcome, but many new teachers leave within five years. What is the Minister doing to keep them?",
			"Will the Minister publish attendance figures school by school, so that parents can see where the problems are?",
			"I welcome the extension of free meals. Will the Minister confirm that it will be fully funded, and not paid for out of existing school budgets?",
			"A school in my constituency with {small} pupils is the heart of its village. Will the Minister visit it before any decision is taken about its future?",
		},
		replies: []string{
			"We are reducing the hours new teachers spend on administration and offering a retention payment of {grant} after three years.",
			"Figures by local authority are published already, and I am considering whether school-level data would help or simply lead to league tables.",
			"I can give that assurance: the {money} required is new money, set aside in the budget.",
			"I would be delighted to visit, and I hope the Member will join me.",
		},
	},
	{
		heading: "Rural Affairs", portfolio: "rural",
		questions: []string{
			"What support the Minister is providing to hill farmers following the poor harvest.",
			"What progress has been made in extending broadband to remote communities.",
			"What assessment the Minister has made of the impact of flooding in the {seat} area.",
		},
		answers: []string{
			"Hill farmers can apply to the emergency fund, which has paid out {money} to {small} farms since September.",
			"Superfast broadband now reaches {pcthi} of premises in the province; the remaining {count} will be connected by satellite or fixed wireless by {year}.",
			"The floods in October affected {small} homes and {small} businesses, and recovery grants of up to {grant} are available to each household.",
		},
		supplementaries: []string{
			"The emergency fund closes at the end of the month, yet many farmers have not yet had their losses assessed. Will the Minister extend the deadline?",
			"Satellite broadband is no substitute for a proper connection. Will the Minister guarantee that no community will be left with the second-best option permanently?",
			"Some of my constituents were flooded for the third time in five years. When will the promised flood defence scheme begin?",
		},
		replies: []string{
			"I will extend the deadline by six weeks, and I am grateful to the Member for raising it.",
			"Satellite connections are an interim measure, and every community connected that way will remain eligible for a fibre upgrade.",
			"Construction of the scheme is due to begin in {year}, and I will ask the agency to meet residents to explain the timetable.",
		},
	},
	{
		heading: "Justice", portfolio: "justice",
		questions: []string{
			"What assessment the Minister has made of the backlog of cases in the criminal courts.",
			"What steps the Minister is taking to support victims of domestic abuse.",
			"Whether the Minister will review the use of short prison sentences.",
		},
		answers: []string{
			"The number of outstanding criminal cases stood at {count} at the end of September, down {pct} on the peak.",
			"We have funded {small} additional independent advisers for victims of domestic abuse, and a new specialist court opened in the capital in {past}.",
			"The sentencing review will report in the spring, and I will bring its recommendations to the Assembly.",
		},
		supplementaries: []string{
			"Victims are waiting more than two years for trials. Some give up altogether. What message does the Minister have for them?",
			"Will the specialist court be rolled out beyond the capital, so that victims in rural areas have the same support?",
			"Does the Minister agree that short sentences too often lead to reoffending, and that community sentences deserve more investment?",
		},
		replies: []string{
			"My message is that we are opening {small} additional courtrooms this year precisely so that fewer victims face that wait.",
			"It will, starting with two pilot courts outside the capital next year.",
			"The evidence points that way, and the review is looking at it closely.",
		},
	},
}

type bill struct {
	name, portfolio string
	purpose         string
	support         []string
	oppose          []string
	amendments      []string
	stories         []string // constituency anecdotes for speeches
}

var bills = []bill{
	{
		name: "Renters’ Security Bill", portfolio: "housing",
		purpose: "ends no-fault evictions, caps in-tenancy rent increases at the lower of inflation and 5%, and creates a register of private landlords",
		support: []string{
			"For too long tenants have lived in fear of a letter giving them two months to leave for no reason at all.",
			"Nearly 240,000 households in the province rent privately, and a third of them are families with children.",
			"A register of landlords will let councils find the minority who let dangerous homes, and it will protect the good landlords who are undercut by them.",
			"This Bill gives tenants the security to put down roots, to complain about damp without fearing eviction, and to plan their children’s schooling.",
			"The rent cap is modest. It does not freeze rents; it simply prevents the sudden rises of {pct} or more that some of my constituents have faced.",
		},
		oppose: []string{
			"Nobody in this Chamber defends rogue landlords, but this Bill will drive good landlords out of the market and reduce the supply of homes to rent.",
			"The rent cap is a blunt instrument. Where it has been tried elsewhere, it has led to fewer homes being let and higher rents for new tenants.",
			"Small landlords, many of whom own a single property as their pension, will face new fees and paperwork.",
			"I urge the Minister to think again about the cap and to work with the sector on a register that is proportionate.",
		},
		stories: []string{
			"Last month I met a family in {seat} who had moved house four times in three years.",
			"A landlord in {seat} told me that he has let the same flat to the same tenant for eleven years, and that he fears the register will treat him like a criminal.",
			"A mother in {seat} showed me the mould on her children’s bedroom wall, and told me she dared not complain in case she was asked to leave.",
		},
		amendments: []string{
			"to exempt landlords with a single property from the registration fee",
			"to require a review of the rent cap after three years",
			"to extend the notice period for landlords selling a property from two months to four",
		},
	},
	{
		name: "Clean Air (Urban Zones) Bill", portfolio: "transport",
		purpose: "allows councils to establish clean air zones, with charges for the most polluting vehicles and a scrappage scheme worth {money}",
		support: []string{
			"Air pollution contributes to an estimated {small} early deaths in the province each year.",
			"Children who grow up beside busy roads have measurably smaller lung capacity, and the poorest children are most likely to live there.",
			"The scrappage scheme means that nobody on a low income will be priced off the road.",
			"Cities that have introduced such zones have seen nitrogen dioxide levels fall by {pct} within two years.",
		},
		oppose: []string{
			"This is a tax on people who cannot afford a new car and who have no bus to catch instead.",
			"Traders in my constituency rely on old vans, and the scrappage scheme does not cover commercial vehicles.",
			"I am not against cleaner air; I am against asking the poorest drivers to pay for it.",
		},
		stories: []string{
			"A small business owner in {seat} told me that his van is worth less than a year of the proposed charges.",
			"A GP in {seat} told me that she sees more children with asthma every winter.",
			"A carer in {seat} drives an eighteen-year-old car because it is all she can afford.",
		},
		amendments: []string{
			"to extend the scrappage scheme to small businesses with vans",
			"to require a public transport improvement plan before any zone is introduced",
			"to exempt blue badge holders from charges",
		},
	},
	{
		name: "Local Energy Cooperatives Bill", portfolio: "energy",
		purpose: "gives community energy cooperatives the right to sell electricity directly to local households and a first refusal on new onshore wind sites",
		support: []string{
			"When communities own the turbines, they welcome them. It really is that simple.",
			"The cooperative in {seat} has returned {money} to its members and funded a new village hall.",
			"This Bill keeps the profits of the energy transition in the places that host it.",
		},
		oppose: []string{
			"I support community energy, but a right of first refusal will delay schemes the province urgently needs.",
			"Small cooperatives do not have the balance sheet to build large wind farms, and the Bill risks stranding good sites.",
		},
		stories: []string{
			"On a visit to a farm in {seat}, I saw a single turbine that pays for the heating of the whole village school.",
			"One of my constituents, a retired engineer, showed me a bill that had risen by {pct} in a single year.",
		},
		amendments: []string{
			"to limit the right of first refusal to six months",
			"to allow joint ventures between cooperatives and commercial developers",
		},
	},
	{
		name: "School Meals (Universal Provision) Bill", portfolio: "education",
		purpose: "requires every primary school to offer a free hot lunch to every pupil from August {year}, at an annual cost of {money}",
		support: []string{
			"A hungry child cannot learn. Teachers in my constituency buy breakfast for pupils out of their own pockets.",
			"Universal provision ends the stigma that stops some eligible families from claiming.",
			"The evidence from pilot areas shows better attendance and better concentration in the afternoon.",
		},
		oppose: []string{
			"The aim is admirable, but giving free meals to the children of the wealthiest families is not the best use of scarce money.",
			"Many small schools have no kitchen. Who will pay to build them?",
		},
		stories: []string{
			"A headteacher in {seat} told me that she now runs a food bank from the school office.",
			"The dinner staff at a small school in {seat} cook for ninety children in a kitchen built for thirty.",
		},
		amendments: []string{
			"to provide capital funding for school kitchens",
			"to require the use of locally produced food where practicable",
		},
	},
}

var (
	answerOpeners = []string{
		"", "", "", "I thank the Member for the question. ", "I am grateful to the Member for raising this. ",
		"As the Member will know, ", "I can tell the Assembly that ", "This is an important question. ",
	}
	supOpeners = []string{
		"", "", "", "I thank the Minister for that answer. ", "That answer will not reassure my constituents. ",
		"I am grateful to the Minister for that reply. ", "The Minister’s answer is welcome as far as it goes. ",
	}
	interjections = []string{
		"[Interruption.]",
		"[Hon. Members: “Hear, hear!”]",
		"[Laughter.]",
		"[Hon. Members: “Shame!”]",
	}
	speakerOrders = []string{
		"Order. Questions and answers must be brief; many Members wish to take part.",
		"Order. The Member will resume his seat. I will not have Members shouting across the Chamber.",
		"Order. I remind Members that supplementary questions must relate to the question on the Order Paper.",
		"Order, order. We have a great deal to get through.",
		"I am grateful to the Minister. We must move on.",
	}
	openings = []string{
		"I am grateful for the opportunity to speak in this debate.",
		"I rise to speak on behalf of my constituents, many of whom have written to me about this Bill.",
		"Let me begin by thanking the Minister for the constructive way in which the Minister has engaged with Members on all sides.",
		"I want to make three brief points.",
		"This is an important Bill, and it deserves careful scrutiny.",
	}
	closingsFor = []string{
		"I urge Members on all sides to support it.",
		"I hope the Minister will hold firm against attempts to water it down.",
		"My constituents deserve nothing less.",
		"It is long overdue, and I will vote for it with pride.",
	}
	closingsAgainst = []string{
		"I hope the Minister will reflect on these points before Report Stage.",
		"For those reasons, I cannot support the Bill in its present form.",
		"We will not oppose the Bill tonight, but we will seek to amend it in Committee.",
		"I ask the Minister to think again.",
	}
	months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

type gen struct {
	r    *rand.Rand
	sb   strings.Builder
	seat string // the constituency of the Member speaking, for {seat}
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) fill(s string) string {
	repl := func(key string, f func() string) {
		for strings.Contains(s, key) {
			s = strings.Replace(s, key, f(), 1)
		}
	}
	repl("{pct}", func() string {
		if g.r.IntN(3) == 0 {
			return fmt.Sprintf("%d.%d%%", 1+g.r.IntN(30), g.r.IntN(10))
		}
		return fmt.Sprintf("%d%%", 2+g.r.IntN(40))
	})
	repl("{money}", func() string {
		if g.r.IntN(4) == 0 {
			return fmt.Sprintf("€%d.%dbn", 1+g.r.IntN(3), g.r.IntN(10))
		}
		return fmt.Sprintf("€%dm", 5+g.r.IntN(400))
	})
	repl("{grant}", func() string { return "€" + thousands(1500+g.r.IntN(60)*250) })
	repl("{hi}", func() string { return fmt.Sprint(20 + g.r.IntN(26)) })
	repl("{lo}", func() string { return fmt.Sprint(8 + g.r.IntN(12)) })
	repl("{pcthi}", func() string { return fmt.Sprintf("%d.%d%%", 70+g.r.IntN(25), g.r.IntN(10)) })
	repl("{pctlo}", func() string { return fmt.Sprintf("%d.%d%%", 8+g.r.IntN(8), g.r.IntN(10)) })
	repl("{count}", func() string { return thousands(1000 + g.r.IntN(300)*137) })
	repl("{small}", func() string { return fmt.Sprint(12 + g.r.IntN(480)) })
	repl("{weeks}", func() string { return fmt.Sprint(6 + g.r.IntN(40)) })
	repl("{year}", func() string { return fmt.Sprint(2026 + g.r.IntN(4)) })
	repl("{past}", func() string { return fmt.Sprint(2015 + g.r.IntN(9)) })
	repl("{future}", func() string { return fmt.Sprint(2040 + 5*g.r.IntN(3)) })
	repl("{seat}", func() string {
		if g.seat != "" {
			return g.seat
		}
		return g.pick(seats())
	})
	return s
}

func seats() []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.seat
	}
	return out
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func (g *gen) para(s string) {
	g.sb.WriteString(s)
	g.sb.WriteString("\n\n")
}

func (g *gen) member() member { return members[g.r.IntN(len(members))] }

// sentences picks n distinct sentences from xs, in their original order.
func (g *gen) sentences(xs []string, n int) string {
	if n > len(xs) {
		n = len(xs)
	}
	idx := g.r.Perm(len(xs))[:n]
	keep := make([]bool, len(xs))
	for _, i := range idx {
		keep[i] = true
	}
	var parts []string
	for i, x := range xs {
		if keep[i] {
			parts = append(parts, g.fill(x))
		}
	}
	return strings.Join(parts, " ")
}

func (g *gen) questions(qnum *int) {
	g.para("Oral Answers to Questions")
	for _, ti := range g.r.Perm(len(topics))[:3] {
		t := topics[ti]
		min := ministers[t.portfolio]
		g.para(strings.ToUpper(t.heading))
		order := g.r.Perm(len(t.questions))
		for k := range min0(2+g.r.IntN(2), len(order)) {
			*qnum++
			m := g.member()
			g.seat = m.seat
			qi := order[k]
			g.para(fmt.Sprintf("%d. %s (%s) (%s): %s", *qnum, m.name, m.seat, m.party, g.fill(t.questions[qi])))
			ans := t.answerFor[qi]
			if ans == nil {
				ans = []int{qi}
			}
			var parts []string
			for _, a := range ans {
				parts = append(parts, g.fill(t.answers[a]))
			}
			g.para(fmt.Sprintf("%s (%s): %s%s", min.title, min.name, g.pick(answerOpeners), strings.Join(parts, " ")))
			si, ok := t.supFor[qi]
			if !ok {
				si = min0(qi, len(t.supplementaries)-1)
			}
			g.para(fmt.Sprintf("%s: %s%s", m.name, g.pick(supOpeners), g.fill(t.supplementaries[si])))
			if g.r.IntN(4) == 0 {
				g.para(g.pick(interjections))
			}
			g.para(fmt.Sprintf("%s: %s", min.name, g.fill(t.replies[min0(si, len(t.replies)-1)])))
			if g.r.IntN(3) == 0 {
				o := g.member()
				g.seat = o.seat
				oi := (si + 1 + g.r.IntN(len(t.supplementaries)-1)) % len(t.supplementaries)
				g.para(fmt.Sprintf("%s (%s) (%s): %s", o.name, o.seat, o.party, g.fill(t.supplementaries[oi])))
				g.para(fmt.Sprintf("%s: %s", min.name, g.fill(t.replies[min0(oi, len(t.replies)-1)])))
			}
			if g.r.IntN(5) == 0 {
				g.para("The Speaker: " + g.pick(speakerOrders))
			}
			g.seat = ""
		}
	}
}

func min0(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func (g *gen) debate(b bill, stage string, day time.Time) {
	min := ministers[b.portfolio]
	g.para(strings.ToUpper(b.name))
	g.para(stage)
	if stage == "Second Reading" {
		g.para(fmt.Sprintf("%s (%s): I beg to move, That the Bill be now read a Second time.", min.title, min.name))
		g.para(fmt.Sprintf("This Bill %s. %s %s", g.fill(b.purpose), g.sentences(b.support, 2), "I commend it to the Assembly."))
	} else {
		am := g.pick(b.amendments)
		m := g.member()
		g.para(fmt.Sprintf("%s (%s) (%s): I beg to move amendment %d, in clause %d, page %d, line %d, %s.",
			m.name, m.seat, m.party, 1+g.r.IntN(40), 1+g.r.IntN(20), 1+g.r.IntN(30), 5+g.r.IntN(30), am))
		g.para(fmt.Sprintf("The purpose of the amendment is simple. %s %s", g.sentences(b.oppose, 1), g.pick(closingsAgainst)))
	}
	speakers := g.r.Perm(len(members))
	for k := range 4 + g.r.IntN(4) {
		m := members[speakers[k]]
		g.seat = m.seat
		var body, closing string
		if m.party == "Progressive Alliance" || m.party == "Green Coalition" && g.r.IntN(3) > 0 {
			body = g.sentences(b.support, 2+g.r.IntN(2))
			closing = g.pick(closingsFor)
		} else {
			body = g.sentences(b.oppose, 2)
			closing = g.pick(closingsAgainst)
		}
		story := ""
		if g.r.IntN(2) == 0 {
			story = " " + g.fill(g.pick(b.stories))
		}
		g.seat = ""
		g.para(fmt.Sprintf("%s (%s) (%s): %s %s%s %s", m.name, m.seat, m.party, g.pick(openings), body, story, closing))
		if g.r.IntN(3) == 0 {
			o := g.member()
			g.para(fmt.Sprintf("%s: Will the Member give way?", o.name))
			g.para(fmt.Sprintf("%s: I will give way briefly.", m.name))
			g.para(fmt.Sprintf("%s: %s", o.name, g.sentences(append(append([]string{}, b.oppose...), b.support...), 1)+" Does the Member not accept that?"))
			g.para(fmt.Sprintf("%s: I have heard that argument many times — and I simply do not accept it. %s", m.name, g.sentences(b.support, 1)))
		}
		if g.r.IntN(5) == 0 {
			g.para(g.pick(interjections))
		}
	}
	g.para(fmt.Sprintf("%s: This has been a thoughtful debate. %s I will consider carefully the proposal %s, and I will write to Members before the next stage.",
		min.name, g.sentences(b.support, 1), g.pick(b.amendments)))
	ayes := 40 + g.r.IntN(25)
	noes := 30 + g.r.IntN(25)
	if stage == "Second Reading" {
		g.para("Question put, That the Bill be now read a Second time.")
	} else {
		g.para("Question put, That the amendment be made.")
	}
	hh := 17
	g.para(fmt.Sprintf("The Assembly divided: Ayes %d, Noes %d.", ayes, noes))
	g.para(fmt.Sprintf("[Division No. %d, %d.%02d pm]", 1+day.YearDay(), hh-12, g.r.IntN(60)))
	if ayes > noes {
		if stage == "Second Reading" {
			g.para("Question accordingly agreed to.\n\nBill read a Second time.")
		} else {
			g.para("Question accordingly agreed to.\n\nAmendment made.")
		}
	} else {
		g.para("Question accordingly negatived.")
	}
}

func (g *gen) statement(day time.Time) {
	t := topics[g.r.IntN(len(topics))]
	min := ministers[t.portfolio]
	g.para("Ministerial Statement: " + t.heading)
	g.para(fmt.Sprintf("%s (%s): With permission, I will make a statement on %s.", min.title, min.name, strings.ToLower(t.heading)))
	g.para(g.sentences(t.answers, len(t.answers)))
	g.para(fmt.Sprintf("I can announce today that we will make available a further %s, and that I will report to the Assembly on progress by %s %d. I commend this statement to the Assembly.",
		g.fill("{money}"), g.pick(months), day.Year()+1))
	for range 2 + g.r.IntN(3) {
		m := g.member()
		si := g.r.IntN(len(t.supplementaries))
		g.para(fmt.Sprintf("%s (%s) (%s): %s", m.name, m.seat, m.party, g.fill(t.supplementaries[si])))
		g.para(fmt.Sprintf("%s: %s", min.name, g.fill(t.replies[min0(si, len(t.replies)-1)])))
	}
}

func (g *gen) firstMinistersQuestions() {
	fm := ministers["first"]
	g.para("FIRST MINISTER’S QUESTIONS")
	for range 2 {
		m := g.member()
		t := topics[g.r.IntN(len(topics))]
		g.para(fmt.Sprintf("%s (%s) (%s): %s", m.name, m.seat, m.party, g.fill(g.pick(t.supplementaries))))
		g.para(fmt.Sprintf("%s (%s): %s %s", fm.title, fm.name, g.sentences(t.answers, 2), g.fill(g.pick(t.replies))))
		if g.r.IntN(2) == 0 {
			g.para(g.pick(interjections))
		}
	}
}

func main() {
	g := &gen{r: rand.New(rand.NewPCG(2025, 11))}
	g.para("OFFICIAL REPORT\nPROVINCIAL ASSEMBLY OF ESTMARK\nProceedings of the Second Session of the Fourth Assembly, 2025–26\nVolume IV")
	g.para("This is a fictional record, written as sample material for Gloss. The members, ministers, constituencies, bills and figures in it are invented; any resemblance to real people or assemblies is coincidental.")
	g.para("The Official Report is a substantially verbatim record of proceedings. Repetitions and obvious mistakes are removed, but nothing of substance is added or changed. Questions are numbered as they appear on the Order Paper.")
	day := time.Date(2026, time.January, 13, 0, 0, 0, 0, time.UTC)
	qnum := 0
	stages := map[string]int{}
	sitting := 0
	for g.sb.Len() < target {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || wd == time.Monday || wd == time.Friday {
			day = day.AddDate(0, 0, 1)
			continue
		}
		sitting++
		g.para(fmt.Sprintf("%s\n%s %d %s %d", strings.Repeat("—", 24), day.Weekday(), day.Day(), day.Month(), day.Year()))
		chair := speaker
		if sitting%4 == 0 {
			chair = deputySpeaker
		}
		g.para(fmt.Sprintf("The Assembly met at half-past Two o’clock.\n\n[%s in the Chair]", chair))
		g.para("Prayers")
		if day.Weekday() == time.Wednesday {
			g.firstMinistersQuestions()
		}
		g.questions(&qnum)
		if g.r.IntN(2) == 0 {
			g.statement(day)
		}
		b := bills[g.r.IntN(len(bills))]
		stage := "Second Reading"
		if stages[b.name] > 0 {
			stage = "Committee of the whole Assembly"
		}
		stages[b.name]++
		g.debate(b, stage, day)
		g.para(fmt.Sprintf("Adjournment\n\nMotion made, and Question proposed, That this Assembly do now adjourn.—(%s.)", g.member().name))
		g.para(fmt.Sprintf("6.%02d pm\n\nQuestion put and agreed to.\n\nAdjourned accordingly at 7.%02d pm.", g.r.IntN(60), g.r.IntN(60)))
		day = day.AddDate(0, 0, 1)
	}
	out := strings.TrimRight(g.sb.String(), "\n") + "\n"
	if err := os.WriteFile("samples/parliament-record.txt", []byte(out), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d bytes, %d sittings\n", len(out), sitting)
}
