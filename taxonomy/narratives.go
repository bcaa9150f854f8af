package taxonomy

import "strings"

// Narrative domains of SemEval-2025 Task 10.
const (
	DomainURW = "URW" // the Russia–Ukraine war
	DomainCC  = "CC"  // climate change
)

// OtherNarrative is the label of an article that pushes none of the known
// narratives; it is used at both levels.
const OtherNarrative = "Other"

// Narrative is one label of the two-level narrative taxonomy of SemEval-2025
// Task 10. Label is the official string ("URW: Discrediting Ukraine",
// "URW: Discrediting Ukraine: Ukraine is a puppet of the West").
type Narrative struct {
	Label string
	// Domain is DomainURW or DomainCC.
	Domain string
	// Parent is the coarse narrative of a subnarrative, "" for a narrative.
	Parent string
	// Definition says, in the slant team's words, what an article pushing
	// this narrative claims or implies, with the words such articles use.
	Definition string
}

// Short returns the part of the label after the domain and parent
// ("Ukraine is a puppet of the West").
func (n Narrative) Short() string {
	s := n.Label
	if n.Parent != "" {
		return strings.TrimPrefix(s, n.Parent+": ")
	}
	return strings.TrimPrefix(s, n.Domain+": ")
}

// narrativeDef is a coarse narrative with its subnarratives, as written in
// this file: short names only, the full labels are built from them.
type narrativeDef struct {
	domain, name, def string
	subs              [][2]string // short name, definition
}

var narrativeDefs = []narrativeDef{
	// ---- Russia–Ukraine war ----
	{DomainURW, "Amplifying war-related fears", "Stokes fear that the war will spread or escalate into catastrophe: nuclear strikes, a third world war, Russian attacks on NATO or other European countries, direct NATO involvement, escalation, red lines, retaliation and danger to the whole world: opening Pandora's box, WWIII, apocalypse, catastrophic consequences, a dangerous step, nuclear powers, uncontrollable escalation.", [][2]string{
		{"By continuing the war we risk WWIII", "Claims that further fighting, arms deliveries or escalation will drag the world into a third world war or a global conflict between Russia and NATO; talk of world war, escalation spiral, point of no return."},
		{"NATO should/will directly intervene", "Says NATO or Western troops are about to, or ought to, join the fighting directly: sending soldiers, boots on the ground, no-fly zones, alliance members entering the war."},
		{"Russia will also attack other countries", "Warns that Russia will not stop at Ukraine and will invade or strike other countries: the Baltic states, Poland, Moldova, Finland, Georgia, NATO members, Europe."},
		{"There is a real possibility that nuclear weapons will be employed", "Raises the threat of nuclear war: nuclear weapons, tactical nukes, warheads, nuclear strike, nuclear doctrine, Zaporizhzhia power plant disaster, radiation, Armageddon, nuclear escalation."},
	}},
	{DomainURW, "Blaming the war on others rather than the invader", "Shifts the responsibility for the war away from Russia, presenting Ukraine, the United States, NATO or the West as the ones who started or provoked it and who keep it going: Washington's proxy war, NATO expansion, pumping weapons into Ukraine, prolonging and fuelling the conflict, fighting to the last Ukrainian.", [][2]string{
		{"The West are the aggressors", "Casts the United States, NATO or the collective West as the real aggressor: NATO expansion, provocation, a proxy war waged against Russia, Western weapons prolonging the war, the West wanting war."},
		{"Ukraine is the aggressor", "Presents Ukraine as the attacker: Kiev shelling Donbass, attacking Russian territory, terrorist strikes by the Kiev regime, Ukraine provoking the conflict since 2014."},
	}},
	{DomainURW, "Discrediting Ukraine", "Paints Ukraine, its leaders, army, people or statehood as illegitimate, corrupt, incompetent, criminal or doomed, to undermine support for it: the Kiev regime, Zelensky, neo-Nazis, shelling civilians, war crimes, terrorist attacks, broken promises, lies, indiscriminate weapons.", [][2]string{
		{"Discrediting Ukrainian government and officials and policies", "Attacks Zelensky and the Kiev government: corruption, dictatorship, illegitimate regime, banning opposition, lies, incompetence, greed for Western money and weapons."},
		{"Discrediting Ukrainian military", "Portrays the Ukrainian armed forces as brutal, incompetent, cowardly or criminal: war crimes, shelling civilians, forced conscription, desertion, heavy losses, failed counteroffensive."},
		{"Discrediting Ukrainian nation and society", "Describes Ukrainians as a people or society negatively: a failed state, an artificial nation, hostile, ungrateful, fanatical or degenerate."},
		{"Rewriting Ukraine’s history", "Claims that Ukraine is historically not a real country, that its lands belong to Russia, or distorts its history to deny its statehood."},
		{"Situation in Ukraine is hopeless", "Says that Ukraine cannot win and is collapsing: economy ruined, population fleeing, front lines crumbling, no more soldiers, defeat inevitable."},
		{"Ukraine is a hub for criminal activities", "Links Ukraine to crime: arms trafficking, weapons resold on the black market, money laundering, corruption schemes, human and organ trafficking, biolabs."},
		{"Ukraine is a puppet of the West", "Presents Ukraine as a pawn with no will of its own, run from Washington, London or Brussels, fighting a proxy war on the orders of its Western masters."},
		{"Ukraine is associated with nazism", "Links Ukraine to Nazism and fascism: neo-Nazis, Azov, Bandera, swastikas, glorification of collaborators, the need for denazification."},
	}},
	{DomainURW, "Discrediting the West, Diplomacy", "Portrays the United States, NATO, the EU and Western leaders as hypocritical, weak, divided, reckless or self-serving, and diplomacy with or by them as pointless: hypocrisy, double standards, Washington, the Pentagon, hegemony, proxy war, violating international law and banned weapons, condemning others for what they do themselves.", [][2]string{
		{"Diplomacy does/will not work", "Claims that negotiations, peace talks, agreements or summits are futile, that the West sabotages peace deals, or that the Minsk agreements were a deception."},
		{"The EU is divided", "Stresses splits and quarrels inside the European Union or NATO over Ukraine, sanctions, weapons or refugees: Hungary, vetoes, disagreement, disunity."},
		{"The West does not care about Ukraine, only about its interests", "Says that the West uses Ukraine for its own gain: profits for arms makers, geopolitical aims against Russia, fighting to the last Ukrainian, cynical hypocrisy and double standards."},
		{"The West is overreacting", "Presents Western sanctions, warnings, military spending or rhetoric about Russia as exaggerated hysteria and paranoia."},
		{"The West is weak", "Depicts Western countries as weak, in decline, incompetent or unable to supply weapons and ammunition: empty arsenals, failing economies, powerless leaders."},
		{"West is tired of Ukraine", "Claims Western governments and publics are losing interest: aid fatigue, funding cut, Congress blocking aid, support waning, pressure on Kyiv to negotiate."},
	}},
	{DomainURW, "Distrust towards Media", "Tells readers that news media cannot be trusted on the war and spread propaganda, censorship and fake stories.", [][2]string{
		{"Ukrainian media cannot be trusted", "Claims Ukrainian media and officials spread fakes and staged stories, censor and lie about the war."},
		{"Western media is an instrument of propaganda", "Describes mainstream Western media as propaganda outlets that lie, censor and serve governments: CNN, BBC, New York Times, fake news, narrative, mainstream media."},
	}},
	{DomainURW, "Hidden plots by secret schemes of powerful groups", "Suggests that secret cabals, elites, intelligence services or hidden interests orchestrate the war behind the scenes: conspiracies, biolabs, deep state, globalists.", nil},
	{DomainURW, "Negative Consequences for the West", "Stresses how the war harms Western countries themselves: economic damage, energy crisis, inflation, sanctions hurting Europe, refugees, security threats.", [][2]string{
		{"Sanctions imposed by Western countries will backfire", "Says sanctions against Russia hurt the West more than Russia: energy prices, gas shortage, inflation, recession, de-industrialisation while Russia's economy thrives."},
		{"The conflict will increase the Ukrainian refugee flows to Europe", "Warns about refugees from Ukraine burdening European countries: migrants, asylum, housing, welfare costs, crime."},
	}},
	{DomainURW, "Overpraising the West", "Glorifies the United States, NATO and their allies beyond the facts: they are united, righteous, winning and invincible.", [][2]string{
		{"NATO will destroy Russia", "Claims NATO power will crush or defeat Russia militarily."},
		{"The West belongs in the right side of history", "Frames the West as defending democracy, freedom and values against evil, morally superior and on the right side of history."},
		{"The West has the strongest international support", "Claims the whole world stands with the West and Ukraine, united against an isolated Russia."},
	}},
	{DomainURW, "Praise of Russia", "Glorifies Russia, its leader, army, economy or international standing.", [][2]string{
		{"Praise of Russian President Vladimir Putin", "Praises Putin as a wise, strong, respected statesman."},
		{"Praise of Russian military might", "Boasts of Russian weapons and victories: hypersonic missiles, advancing troops, destroyed Western tanks, liberated towns, superior army."},
		{"Russia has international support from a number of countries and people", "Says that many countries and peoples back Russia: China, India, BRICS, the Global South, Africa, rejecting the West."},
		{"Russia is a guarantor of peace and prosperity", "Presents Russia as a force for peace, stability and prosperity, a reliable partner that seeks negotiations."},
		{"Russian invasion has strong national support", "Claims that Russians overwhelmingly support the special military operation and their government."},
	}},
	{DomainURW, "Russia is the Victim", "Presents Russia as the wronged party: threatened, encircled, hated and only defending itself.", [][2]string{
		{"Russia actions in Ukraine are only self-defence", "Justifies the invasion as self-defence against NATO expansion and threats on Russia's borders, a special military operation to protect Russians and Donbass."},
		{"The West is russophobic", "Accuses the West of hatred of Russia and Russians: russophobia, cancelling Russian culture, discrimination, demonisation."},
		{"UA is anti-RU extremists", "Describes Ukraine as run by anti-Russian extremists who persecute Russian speakers, the Russian language and the Orthodox church."},
	}},
	{DomainURW, "Speculating war outcomes", "Makes predictions about who is winning or losing the war and how it will end.", [][2]string{
		{"Russian army is collapsing", "Claims Russian forces are exhausted, demoralised and collapsing: huge losses, mutiny, shortages, convicts recruited."},
		{"Russian army will lose all the occupied territories", "Predicts that Ukraine will retake all occupied land, including Crimea."},
		{"Ukrainian army is collapsing", "Claims Ukrainian forces are exhausted and collapsing: catastrophic losses, retreat, lack of men and ammunition, front breaking."},
	}},

	// ---- Climate change ----
	{DomainCC, "Amplifying Climate Fears", "Exaggerates the threat of climate change to frighten readers: catastrophe, climate emergency, extinction, unlivable planet.", [][2]string{
		{"Amplifying existing fears of global warming", "Heightens fear of heat waves, floods, wildfires, droughts and rising seas as signs of an accelerating climate crisis."},
		{"Doomsday scenarios for humans", "Predicts the collapse of civilisation, mass death, famine or extinction of humanity from climate change."},
		{"Earth will be uninhabitable soon", "Claims the planet or large regions will soon be unlivable."},
		{"Whatever we do it is already too late", "Says the tipping point has passed and nothing can stop the catastrophe."},
	}},
	{DomainCC, "Climate change is beneficial", "Argues that a warmer climate or more carbon dioxide is good for the planet and for people.", [][2]string{
		{"CO2 is beneficial", "Says carbon dioxide is plant food that greens the Earth and boosts crops."},
		{"Temperature increase is beneficial", "Says warming brings milder winters, fewer cold deaths, longer growing seasons."},
	}},
	{DomainCC, "Controversy about green technologies", "Attacks renewable energy, electric cars and other green technologies as expensive, unreliable, dangerous or harmful to nature.", [][2]string{
		{"Nuclear energy is not climate friendly", "Argues nuclear power is dirty, dangerous or no help for the climate."},
		{"Renewable energy is costly", "Says wind, solar, electric vehicles and heat pumps are too expensive, need subsidies and raise energy bills."},
		{"Renewable energy is dangerous", "Says wind turbines, solar panels, batteries and lithium mining harm people, birds, whales and the environment, or catch fire."},
		{"Renewable energy is unreliable", "Says wind and solar are intermittent and cause blackouts, grid instability and shortages when the wind does not blow."},
	}},
	{DomainCC, "Criticism of climate movement", "Attacks climate activists, scientists and campaigners as alarmist, hypocritical, corrupt or extremist.", [][2]string{
		{"Ad hominem attacks on key activists", "Attacks the person of prominent climate figures such as Greta Thunberg, Al Gore, Bill Gates or John Kerry: hypocrites with private jets, mansions, ignorance."},
		{"Climate movement is alarmist", "Says climate activists and media spread hysteria, panic and false doomsday predictions: alarmists, climate cult, fearmongering."},
		{"Climate movement is corrupt", "Says the climate movement is driven by money and power: grants, funding, scams, fraud, lobbying, vested interests."},
	}},
	{DomainCC, "Criticism of climate policies", "Argues that climate and environmental policies such as net zero, carbon taxes and bans are harmful, useless or self-serving.", [][2]string{
		{"Climate policies are ineffective", "Says climate policies do not reduce emissions or temperatures, that China and India emit more anyway, and that targets are unrealistic."},
		{"Climate policies are only for profit", "Says climate policies serve to enrich corporations, investors and politicians: carbon credits, green subsidies, profits."},
		{"Climate policies have negative impact on the economy", "Says climate policies destroy jobs, industry and farming and raise costs of energy, food and living: net zero costs, carbon tax, poverty."},
	}},
	{DomainCC, "Criticism of institutions and authorities", "Criticises governments, international bodies, parties and politicians for their climate actions or inaction.", [][2]string{
		{"Criticism of international entities", "Criticises the United Nations, IPCC, World Economic Forum, COP summits, the World Bank or the IMF over climate."},
		{"Criticism of national governments", "Criticises a national government, its ministers or agencies for climate and energy policy: Biden administration, Trudeau, the UK government."},
		{"Criticism of political organizations and figures", "Criticises parties and politicians over climate: Democrats, Republicans, Greens, Labour, named leaders and officials."},
		{"Criticism of the EU", "Criticises the European Union, the European Commission or its Green Deal and regulations."},
	}},
	{DomainCC, "Downplaying climate change", "Minimises climate change: it is natural, small, not dangerous, or not happening.", [][2]string{
		{"CO2 concentrations are too small to have an impact", "Says carbon dioxide is a trace gas, too small a share of the atmosphere to matter."},
		{"Climate cycles are natural", "Says the climate has always changed through natural cycles driven by the sun and oceans, warm periods in the past."},
		{"Human activities do not impact climate change", "Says human emissions have no significant effect on the climate."},
		{"Humans and nature will adapt to the changes", "Says people and ecosystems will simply adapt to a changing climate."},
		{"Ice is not melting", "Says polar ice, sea ice, glaciers or Antarctic ice are stable or growing."},
		{"Sea levels are not rising", "Says sea levels are not rising or rise too slowly to matter."},
		{"Temperature increase does not have significant impact", "Says warming has no harmful effect on extreme weather, disasters or health."},
		{"Weather suggests the trend is global cooling", "Points to cold weather, snow and record lows as evidence of cooling."},
	}},
	{DomainCC, "Green policies are geopolitical instruments", "Presents climate policies as tools of power politics between countries.", [][2]string{
		{"Climate-related international relations are abusive/exploitative", "Says rich countries or China use climate deals to exploit or bully others."},
		{"Green activities are a form of neo-colonialism", "Says green policies keep Africa and developing countries poor: banning fossil fuels, mining their minerals, green colonialism."},
	}},
	{DomainCC, "Hidden plots by secret schemes of powerful groups", "Claims that secret elites use climate change as a pretext for hidden goals of control and profit.", [][2]string{
		{"Blaming global elites", "Blames globalist elites, billionaires, Davos, the World Economic Forum or Bill Gates for a climate agenda to control people."},
		{"Climate agenda has hidden motives", "Says the climate agenda is a hoax or scam hiding other aims: control, surveillance, depopulation, great reset, fifteen-minute cities, taxes."},
	}},
	{DomainCC, "Questioning the measurements and science", "Casts doubt on climate science, its data, models and scientists.", [][2]string{
		{"Data shows no temperature increase", "Says temperature records show no warming or a pause."},
		{"Greenhouse effect/carbon dioxide do not drive climate change", "Denies that greenhouse gases or carbon dioxide cause warming."},
		{"Methodologies/metrics used are unreliable/faulty", "Says climate models, temperature stations, data adjustments and measurements are faulty, manipulated or wrong."},
		{"Scientific community is unreliable", "Says climate scientists are biased, wrong, manipulated or suppress dissent; consensus is fake; predictions failed."},
	}},
}

var (
	coarse   []Narrative
	fine     []Narrative
	byLabel  map[string]Narrative
	children map[string][]string
)

func init() {
	byLabel = map[string]Narrative{}
	children = map[string][]string{}
	for _, d := range narrativeDefs {
		n := Narrative{Label: d.domain + ": " + d.name, Domain: d.domain, Definition: d.def}
		coarse = append(coarse, n)
		byLabel[n.Label] = n
		for _, s := range d.subs {
			sub := Narrative{Label: n.Label + ": " + s[0], Domain: d.domain, Parent: n.Label, Definition: s[1]}
			fine = append(fine, sub)
			byLabel[sub.Label] = sub
			children[n.Label] = append(children[n.Label], sub.Label)
		}
		// Every narrative has an "Other" subnarrative: the narrative fits but
		// none of its named subnarratives does.
		other := Narrative{Label: n.Label + ": " + OtherNarrative, Domain: d.domain, Parent: n.Label, Definition: d.def}
		fine = append(fine, other)
		byLabel[other.Label] = other
		children[n.Label] = append(children[n.Label], other.Label)
	}
}

// Narratives returns the coarse narratives of both domains (without
// OtherNarrative), in a fixed order.
func Narratives() []Narrative { return append([]Narrative(nil), coarse...) }

// Subnarratives returns the fine labels of both domains, "<narrative>: Other"
// included, in a fixed order.
func Subnarratives() []Narrative { return append([]Narrative(nil), fine...) }

// LookupNarrative returns the narrative or subnarrative with the given label.
func LookupNarrative(label string) (Narrative, bool) {
	n, ok := byLabel[label]
	return n, ok
}

// SubnarrativesOf returns the fine labels under a coarse narrative, its
// "Other" last.
func SubnarrativesOf(narrative string) []string {
	return append([]string(nil), children[narrative]...)
}

// OtherSubnarrative returns "<narrative>: Other".
func OtherSubnarrative(narrative string) string { return narrative + ": " + OtherNarrative }
