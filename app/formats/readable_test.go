package formats

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Saved news pages import as their article: the headline, then the main
// text with its paragraphs; the byline, date and site name as metadata;
// menus, cookie banners, share buttons, asides, newsletter boxes, related
// stories, comments and footers left out. The pages under testdata/pages
// were written for these tests in the shape of real sites; each .txt
// beside a page is its expected text.
func TestReaderViewNewsPages(t *testing.T) {
	cases := []struct {
		page, title, byline, published, site string
		first, last                          string   // the first paragraph after the headline, and the last
		absent                               []string // boilerplate
	}{
		{
			page:      "courier-tram",
			title:     "Harbour council backs £410m tram link despite objections",
			byline:    "Helen Achterberg",
			published: "2025-03-14T09:30:00Z",
			site:      "The Wendmouth Courier",
			first:     "Wendmouth's plan for a tram line to the harbour district cleared its biggest hurdle on Thursday night, when the city council voted 31 to 17 to approve the £410m scheme after a debate that ran for almost five hours.",
			last:      "A public inquiry is still required before work can begin. The council expects to submit its application to the transport minister in June, and a decision is likely by the end of the year.",
			absent: []string{"cookies", "Accept all", "Manage preferences", "Home", "What's On", "Subscribe", "Search",
				"News ›", "Share on", "Copy link", "By Helen", "Local Democracy Reporter", "Friday 14 March",
				"Related stories", "Ferry terminal opens", "Bus fares to rise", "Get the Courier", "Sign up",
				"Comments", "community guidelines", "Most read", "Storm warning", "About us", "Privacy",
				"All rights reserved", "|"},
		},
		{
			page:      "wire-markets",
			title:     "Grain prices jump as drought cuts harvest forecasts",
			byline:    "Tomasz Wierzbicki, Ana Lúcia Prado",
			published: "2025-07-02T14:05:00+02:00",
			site:      "World Wire",
			first:     "WARSAW/SÃO PAULO, July 2 (World Wire) - Wheat and maize futures rose sharply on Wednesday after two of Europe's largest producers cut their harvest forecasts, citing the driest June in more than forty years.",
			last:      "Reporting by Tomasz Wierzbicki in Warsaw and Ana Lúcia Prado in São Paulo; Editing by Mark Ellery",
			absent: []string{"WORLD WIRE", "Sign in", "Video", "Advertisement", "Scroll to continue", "Markets\n",
				"By Tomasz", "Updated 2 hours ago", "Facebook", "LinkedIn", "Print", "Read more", "Fertiliser makers",
				"Our Standards", "Most popular", "Oil slips", "Morning Bid", "Careers", "quotes delayed",
				"privacy choices", "812 partners", "I agree", "More options"},
		},
		{
			page:      "gazette-fr",
			title:     "La passerelle de Saint-Aubin rouvrira en septembre",
			byline:    "Claire Le Goff",
			published: "2025-05-21",
			site:      "Le Petit Courrier de l'Estuaire",
			first:     "Fermée depuis la tempête de janvier, la passerelle piétonne qui relie Saint-Aubin au quai des Salines devrait rouvrir à la mi-septembre, a annoncé mardi soir le maire, Jean-Marc Rivière, devant le conseil municipal.",
			last:      "En attendant, une navette gratuite continue de circuler toutes les vingt minutes entre la mairie et le quai, de 7 heures à 20 heures. Elle sera maintenue jusqu'à la réouverture, a précisé la municipalité.",
			absent: []string{"cookies", "Tout accepter", "Accueil", "Sports", "S'abonner", "» Actualités", "Par Claire",
				"publié le", "Partager", "WhatsApp", "À lire aussi", "Tempête de janvier", "Travaux", "Les plus lus",
				"cargo", "Dans la même rubrique", "Recevez", "Inscrivez-vous", "Mentions légales", "Tous droits"},
		},
		{
			// The documentation page: a top bar of links
			// ("Documents References Packages ..."), a related-links bar
			// ("Navigation » •"), a table of contents and a footer.
			page:  "release-notes",
			title: "Tern 2 Release Notes",
			first: "Introduction to Tern 2",
			last:  "Dividing an integer by a constant zero is now a compile-time error rather than a run-time panic. Division by a variable that happens to be zero still panics, as before, because the compiler cannot know its value.",
			absent: []string{"The Tern Programming Language", "Documents", "References", "Packages", "The Project",
				"Help", "Navigation", "Installing", "FAQ", "»", "•", "Build version", "Creative Commons", "Terms of Service"},
		},
	}
	for _, c := range cases {
		t.Run(c.page, func(t *testing.T) {
			path := filepath.Join("testdata", "pages", c.page+".html")
			a, err := ReadArticle(path)
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != c.title || a.Byline != c.byline || a.Published != c.published || a.SiteName != c.site {
				t.Errorf("title %q byline %q published %q site %q;\nwant  %q        %q           %q      %q",
					a.Title, a.Byline, a.Published, a.SiteName, c.title, c.byline, c.published, c.site)
			}
			if a.Whole || a.Note != "" || a.Format != FormatHTML || a.FileName != c.page+".html" {
				t.Errorf("whole %v note %q format %q file %q", a.Whole, a.Note, a.Format, a.FileName)
			}
			paras := strings.Split(a.Text, "\n\n")
			if paras[0] != c.title {
				t.Errorf("text does not start with the headline: %q", paras[0])
			}
			if len(paras) < 3 || paras[1] != c.first || paras[len(paras)-1] != c.last {
				t.Errorf("first paragraph %q\nlast %q", paras[min(1, len(paras)-1)], paras[len(paras)-1])
			}
			for _, b := range c.absent {
				if strings.Contains(a.Text, b) {
					t.Errorf("text has boilerplate %q", b)
				}
			}
			want, err := os.ReadFile(strings.TrimSuffix(path, ".html") + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			if a.Text+"\n" != string(want) {
				t.Errorf("text differs from %s.txt:\n%s", c.page, a.Text)
			}
			if strings.Contains(a.Text, "\n\n\n") || a.Text != strings.TrimSpace(a.Text) {
				t.Error("more than one blank line in a row, or untrimmed")
			}

			// --html page keeps the whole page, boilerplate and all, with
			// the title as before (the page's <title>), and the metadata.
			data, _ := os.ReadFile(path)
			p, err := ParseArticleWith(path, data, ArticleOptions{HTML: HTMLPage})
			if err != nil {
				t.Fatal(err)
			}
			body, title, h1, _ := htmlText(string(data))
			if p.Text != body || p.Title != truncateTitle(firstNonEmpty(title, h1)) || !p.Whole || p.Note != "" {
				t.Errorf("page mode: title %q whole %v note %q text:\n%s", p.Title, p.Whole, p.Note, p.Text)
			}
			if p.Byline != a.Byline || p.Published != a.Published || p.SiteName != a.SiteName {
				t.Errorf("page mode metadata %q %q %q", p.Byline, p.Published, p.SiteName)
			}
			for _, f := range strings.Split(a.Text, "\n\n") {
				if !strings.Contains(p.Text, f) {
					t.Errorf("article paragraph not in the page: %q", f)
				}
			}
		})
	}
}

// The page mode keeps what the reader view drops.
func TestHTMLPageModeKeepsEverything(t *testing.T) {
	data, err := os.ReadFile("testdata/pages/courier-tram.html")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseArticleWith("courier-tram.html", data, ArticleOptions{HTML: HTMLPage})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Text, "We use cookies") || p.Title != "Harbour council backs £410m tram link despite objections | The Wendmouth Courier" {
		t.Errorf("title %q, text starts %q", p.Title, p.Text[:40])
	}
	for _, s := range []string{"• Share on Facebook", "Related stories", "Councillors voted 31 to 17 for the line", "By Helen Achterberg, Local Democracy Reporter", "All rights reserved"} {
		if !strings.Contains(p.Text, s) {
			t.Errorf("page text lacks %q", s)
		}
	}
	for _, mode := range []string{"", HTMLArticle} {
		a, err := ParseArticleWith("courier-tram.html", data, ArticleOptions{HTML: mode})
		if err != nil || a.Whole || strings.Contains(a.Text, "cookies") {
			t.Errorf("mode %q: whole %v, %v", mode, a.Whole, err)
		}
	}
	if _, err := ParseArticleWith("x.html", data, ArticleOptions{HTML: "reader"}); err == nil ||
		!strings.HasPrefix(err.Error(), "x.html: ") || !strings.Contains(err.Error(), "article or page") {
		t.Errorf("unknown mode: %v", err)
	}
	if _, err := ReadArticleWith("testdata/pages/courier-tram.html", ArticleOptions{HTML: "Page"}); err == nil {
		t.Error("ReadArticleWith took an unknown mode")
	}
	if a, err := ReadArticleWith("testdata/pages/courier-tram.html", ArticleOptions{HTML: HTMLPage}); err != nil || a.Text != p.Text {
		t.Errorf("ReadArticleWith page: %v", err)
	}
	// Text files are not HTML: the option changes nothing.
	if a, err := ParseArticleWith("a.txt", []byte("<p>x</p> and text"), ArticleOptions{HTML: HTMLPage}); err != nil || a.Text != "<p>x</p> and text" || a.Whole {
		t.Errorf("text file: %+v %v", a, err)
	}
}

// An HTML file that is only an article (no menus, no footer) loses
// nothing: the reader view's text is the whole page's, as Gloss imported
// it before.
func TestReaderViewArticleOnly(t *testing.T) {
	for _, path := range []string{"testdata/pages/article-only.html", "testdata/article.html", "testdata/h1-only.htm", "testdata/sniff.data"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseArticle(path, data)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParseArticleWith(path, data, ArticleOptions{HTML: HTMLPage})
		if err != nil {
			t.Fatal(err)
		}
		body, _, _, _ := htmlText(string(data))
		if a.Text != body || p.Text != body || a.Title != p.Title {
			t.Errorf("%s: article text differs from the page's:\n%s\n-- page --\n%s\ntitles %q, %q", path, a.Text, p.Text, a.Title, p.Title)
		}
	}
	a, err := ReadArticle("testdata/pages/article-only.html")
	if err != nil {
		t.Fatal(err)
	}
	// A real article, found as one (the short ones above are too short for
	// Readability and come back whole, which is the same text).
	if a.Whole || a.Note != "" || a.Title != "Night buses return to the valley" {
		t.Errorf("whole %v note %q title %q", a.Whole, a.Note, a.Title)
	}
	for _, s := range []string{"Night buses return to the valley\n\nAfter three years", "• Free travel",
		"3. Hospital (main entrance)\n4. Ashby Cross\n  ◦ stand B", "Departure\tArrives Ashby Cross\n23:40\t00:25",
		"The route, in order:\nCarnford bus station\nMillbrook Green\nHatherley Road & Mill Lane",
		"  N7   23:40  01:10  02:40\n  ret  00:30  02:00", "Ashby\u00a0Cross welcomed the news 👍🏽 — “at last”"} {
		if !strings.Contains(a.Text, s) {
			t.Errorf("article lacks %q", s)
		}
	}
}

// A page with no article (a section front: links and teasers) is imported
// whole, and says so.
func TestReaderViewNoArticle(t *testing.T) {
	data, err := os.ReadFile("testdata/pages/link-hub.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseArticle("link-hub.html", data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseArticleWith("link-hub.html", data, ArticleOptions{HTML: HTMLPage})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Whole || a.Note != NoteNoArticle || a.Text != p.Text || a.Title != "News | The Wendmouth Courier" {
		t.Errorf("whole %v note %q title %q text:\n%s", a.Whole, a.Note, a.Title, a.Text)
	}
	if p.Note != "" {
		t.Errorf("page mode has a note: %q", p.Note)
	}
	for _, s := range []string{"Top stories", "Shipyard wins order for two ferries", "Opener takes over."} {
		if !strings.Contains(a.Text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
}

// A page too deeply nested for Readability (its time grows with depth
// times text) is imported whole, quickly, and says why.
func TestReaderViewTooComplex(t *testing.T) {
	para := "<p>Words in a sentence, with commas, that goes on for long enough to count as body text in a page.</p>"
	src := strings.Repeat("<div>"+strings.Repeat(para, 25), 500) + strings.Repeat("</div>", 500)
	a, err := ParseArticle("deep.html", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Whole || a.Note != NoteTooComplex || !strings.HasPrefix(a.Text, "Words in a sentence") {
		t.Errorf("whole %v note %q", a.Whole, a.Note)
	}
}

func TestArticleBoilerplate(t *testing.T) {
	cases := []struct {
		frag string
		want bool
	}{
		{`<nav><a href="/">Home</a></nav>`, true},
		{`<aside>Related</aside>`, true},
		{`<div role="dialog">We use cookies</div>`, true},
		{`<div class="cookie-banner">x</div>`, true},
		{`<ul class="social-share-buttons"><li>Share</li></ul>`, true},
		{`<div id="newsletter_box">Sign up</div>`, true},
		{`<div class="ad ad-inline">Advertisement</div>`, true},
		{`<div class="read-more">Read more</div>`, true},
		{`<div class="most-read">...</div>`, true},
		{`<p class="byline">By A. Writer</p>`, true},
		{`<span rel="author">A. Writer</span>`, true},
		{`<p class="author-bio">` + strings.Repeat("A. Writer has covered the courts for twenty years. ", 4) + `</p>`, false},
		{`<p>Read more: <a href="/x">Council to vote on budget</a></p>`, true},
		{`<p><strong>À lire aussi :</strong> <a href="/x">La tempête</a></p>`, true},
		{`<p>See <a href="/x">the council's report</a>.</p>`, false},
		{`<p>The council published <a href="/r">its report</a> on Monday: it is long.</p>`, false},
		{`<p><a href="/x">Only a link</a></p>`, false},
		{`<ul><li><a href="#a">A</a></li><li><a href="#b">B</a><ul><li><a href="#c">C</a></li></ul></li></ul>`, true},
		{`<ul><li><a href="#a">A</a></li><li><a href="/b">B</a></li></ul>`, false},
		{`<ul><li><a href="#a">A</a> and more</li><li><a href="#b">B</a></li></ul>`, false},
		{`<div class="story-body shadowed">text</div>`, false},
		{`<div class="commentary">text</div>`, false},
		{`<p class="shared-content">text</p>`, false},
	}
	for _, c := range cases {
		doc, err := html.Parse(strings.NewReader("<body>" + c.frag))
		if err != nil {
			t.Fatal(err)
		}
		if got := articleBoilerplate(findElem(doc, atom.Body).FirstChild); got != c.want {
			t.Errorf("%s: %v, want %v", c.frag, got, c.want)
		}
	}
	// A match on the element that holds most of the article is a wrong
	// guess: an article in a "social affairs" section is kept.
	src := `<div class="category-social"><p>` + strings.Repeat("Long article text. ", 30) + `</p><p class="share">Share</p></div>`
	doc, _ := html.Parse(strings.NewReader(src))
	body, _ := nodeText(doc, boilerplateSkipper(doc))
	if !strings.HasPrefix(body, "Long article text.") || strings.Contains(body, "Share") {
		t.Errorf("skipper: %q", body)
	}
}

func TestPublishedDate(t *testing.T) {
	cases := []struct{ src, headline, want string }{
		{`<script type="application/ld+json">{"@graph":[{"@type":"WebPage","datePublished":"2020-01-01"},{"@type":["NewsArticle"],"datePublished":" 2025-01-02T03:04:05Z "}]}</script>`, "", "2025-01-02T03:04:05Z"},
		{`<script type="application/ld+json">[{"@type":"BlogPosting","datePublished":"2024-12-24"}]</script><meta property="article:published_time" content="2000-01-01">`, "", "2024-12-24"},
		{`<script type="application/ld+json">{broken</script><meta name="pubdate" content="2001-01-01"><meta property="article:published_time" content="2025-06-01T10:00:00+01:00">`, "", "2025-06-01T10:00:00+01:00"},
		{`<p>On <span itemprop="datePublished" content="2025-02-03">3 Feb</span></p>`, "", "2025-02-03"},
		{`<nav><time datetime="1999-01-01">old</time></nav><article><h1>Head line</h1><p>x <time datetime="2025-04-05T06:07:08Z">5 April</time></p></article>`, "Head line", "2025-04-05T06:07:08Z"},
		{`<time datetime="1999-01-01">before</time><h1>Head line</h1><aside><time>no</time></aside><p><time>Monday 7 April</time></p>`, "Head line", "Monday 7 April"},
		{`<article><h1>Head line</h1></article><time datetime="2025-01-01">elsewhere</time>`, "Head line", ""},
		{`<h1>Head line</h1><time datetime="2025-01-01">x</time>`, "", ""},
	}
	for _, c := range cases {
		doc, _ := html.Parse(strings.NewReader(c.src))
		if got := publishedDate(doc, c.headline); got != c.want {
			t.Errorf("%s: %q, want %q", c.src, got, c.want)
		}
	}
}

func TestFindHeadline(t *testing.T) {
	doc, _ := html.Parse(strings.NewReader(`<h1>The Courier</h1><h2>Related: other story</h2><div hidden><h1>Council backs plan</h1></div>` +
		`<article><h1>Council  backs <em>tram</em> plan</h1></article>`))
	for title, want := range map[string]string{
		"Council backs tram plan":               "Council backs tram plan",
		"Council backs tram plan, say sources":  "Council backs tram plan",
		"Something else entirely":               "",
		"":                                      "",
		"The Courier":                           "The Courier",
		"Council backs tram plan | The Courier": "Council backs tram plan", // not the site's name
	} {
		if got := findHeadline(doc, title); got != want {
			t.Errorf("findHeadline(%q) = %q, want %q", title, got, want)
		}
	}
	if s := textSimilarity("Harbour council backs tram", "Harbour council backs £410m tram link"); s < 0.5 || s > 0.75 {
		t.Errorf("similarity %v", s)
	}
}
