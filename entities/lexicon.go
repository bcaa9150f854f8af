package entities

import "strings"

// set builds a lookup table from space-separated words.
func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// titleHeads are the nouns that name a person's office or trade. Before a
// name they are titles ("General Mark Milley"); after "the" they describe a
// person named earlier ("the four-star general"). Lower case.
var titleHeads = set(`president general minister secretary adviser advisor spokesman spokeswoman
spokesperson ambassador chancellor senator governor mayor director chairman chairwoman commander
officer analyst researcher academic observer expert journalist diplomat lawmaker leader chief
admiral colonel professor economist envoy premier king queen prince pope commissioner attorney
speaker congressman congresswoman representative judge prosecutor scientist activist author
columnist correspondent editor ceo founder dictator general-secretary head lieutenant captain
major sergeant doctor physician chairperson`)

// titleModifiers may come before a title head inside a title
// ("Deputy Assistant Secretary", "Defense Minister", "Brigadier General").
var titleModifiers = set(`vice prime deputy assistant under defense defence foreign interior
national security press state chief brigadier lieutenant major former outgoing then top senior
acting special first executive supreme attorney finance economy economic health energy justice
high lead principal interim commanding four-star three-star two-star one-star rear retired
junior presidential general`)

// abbrevTitles are abbreviated titles; they make the following name a person.
var abbrevTitles = set(`gen gen. lt lt. col col. maj maj. brig brig. adm adm. capt capt. sgt sgt.
gov gov. sen sen. rep rep. dr dr. mr mr. mrs mrs. ms ms. prof prof. pres pres. amb amb. cmdr cmdr.`)

// descriptorsOf gives the descriptions an abbreviated title licenses.
var descriptorsOf = map[string][]string{
	"gen": {"general"}, "lt": {"lieutenant", "officer"}, "col": {"colonel", "officer"},
	"maj": {"major", "officer"}, "brig": {"general"}, "adm": {"admiral"}, "capt": {"captain"},
	"sgt": {"sergeant"}, "gov": {"governor"}, "sen": {"senator", "lawmaker"},
	"rep":  {"representative", "lawmaker", "congressman", "congresswoman"},
	"dr":   {"doctor", "academic", "expert", "researcher", "scientist"},
	"prof": {"professor", "academic", "expert", "researcher"}, "pres": {"president"},
	"amb": {"ambassador", "diplomat"},
}

// synonyms lets "the spokesperson" find "the spokesman".
var synonyms = map[string]string{
	"spokeswoman": "spokesman", "spokesperson": "spokesman", "advisor": "adviser",
	"chairwoman": "chairman", "chairperson": "chairman", "congresswoman": "congressman",
	"physician": "doctor",
}

// orgCues are words that make a capitalised sequence an organisation.
var orgCues = set(`Ministry Council Agency Watch Organization Organisation University Center Centre
Institute Department Committee Commission Party Bank Forum Group Corporation Corp Inc Ltd LLC Company
News Times Post Press Journal Herald Tribune Gazette Army Navy Forces Force Court Parliament Congress
Senate Foundation Fund Association Union Alliance Office Service Services Command Guard Brigade
Battalion Regiment Division Network Media Agency Society Club League Federation Board Bureau
Authority Administration Commissariat Assembly Academy School College Laboratory Lab Industries
Systems Airlines Group Coalition Movement Front Trust Initiative Project Cabinet Government
Hotel Casino Resort Airport Hospital Clinic Church Cathedral Mosque Stadium Museum Station Prison
Police Department Sheriff Academy Institute Laboratories Pharmaceuticals Motors Energy Bank`)

// dropCues make a capitalised sequence something other than an entity of
// the kinds slant tracks (treaties, events, weapons, documents).
var dropCues = set(`Treaty Convention Agreement Agreements Accord Accords Act Protocol War Day
Summit Conference Games Cup Prize Award Olympics Declaration Charter Doctrine Plan Strategy
Operation Program Programme Initiative Report Munitions Missile Missiles System Rocket Rockets
Launcher Tank Tanks Bill Law Constitution`)

// groupNouns make a preceding country, demonym or leader a collective
// ("Ukrainian forces", "the Kiev regime", "the Biden administration"), each
// mapped to the head of the canonical name.
var groupNouns = map[string]string{
	"regime": "government", "government": "government", "authorities": "government",
	"leadership": "government", "junta": "government", "administration": "administration",
	"forces": "armed forces", "troops": "armed forces", "army": "armed forces",
	"military": "armed forces", "soldiers": "armed forces", "servicemen": "armed forces",
	"officials": "officials", "politicians": "politicians", "lawmakers": "lawmakers",
	"people": "people", "citizens": "people", "civilians": "civilians", "media": "media",
	"intelligence": "intelligence", "elites": "elites", "establishment": "establishment",
	"nationalists": "nationalists", "militants": "militants", "allies": "allies",
	"diplomats": "diplomats", "oligarchs": "oligarchs", "propaganda": "",
}

// speechVerbs after a capitalised word suggest a person or organisation
// speaking.
var speechVerbs = set(`said says told added stated claimed noted wrote tweeted argued insisted
warned explained announced confirmed denied asserted declared suggested replied responded
commented emphasized emphasised stressed urged admitted acknowledged believes thinks`)

// nonNames are capitalised words that are never names by themselves:
// function words and common sentence openers (dropped at a sentence start),
// days and months (dropped anywhere).
var nonNames = set(`A An The This That These Those There Here It Its He She His Her Him They Them
Their We Our Us You Your I Me My Mine Who Whom Whose What Which When Where Why How Whether If Then
Than But And Or Nor So Yet For Of In On At By To From With Without Into Onto Over Under Above Below
After Before Since Until While Although Though Because As Also Still Even Just Only Not No Yes
However Meanwhile Moreover Furthermore Nevertheless Nonetheless Therefore Thus Hence Instead
Indeed Perhaps Maybe Apparently Obviously Clearly Likewise Similarly Besides Otherwise Anyway
Finally First Second Third Last Next Now Today Tomorrow Yesterday Earlier Later Recently Currently
Some Many Most Much More Few Several All Both Each Every Any None Other Another Such Same Own
According Asked Speaking Commenting Considering Given Despite During Among Amid Against Between
Within Through Throughout Toward Towards Upon Via Per Unlike Like Regarding Following Including
Read Please Click Subscribe Share Follow Leave Reply Buy Support Period Photo Video Image Source
Update Updated Editor Note Listen Sign Breaking Exclusive Opinion Analysis Comment Comments
Mr Mrs Ms Dr Sir Madam OK Oh Well Why Yes Let Do Does Did Is Are Was Were Be Been Has Have Had Will
Would Shall Should Can Could May Might Must One Two Three Four Five Six Seven Eight Nine Ten
Once Twice Again Already Almost Always Never Often Sometimes Soon Together Whatever Whoever
Outgoing Former Current New Old Senior Top Anonymous Unnamed Multiple Several Numerous Other
Western Eastern Northern Southern Central Internet Web Online`)

// honorifics are not part of a person's canonical name.
var honorifics = set(`Mr Mrs Ms Dr Sir Madam Prof Mr. Mrs. Ms. Dr. Prof.`)

// placePrepositions before an unknown capitalised word suggest a place.
var placePrepositions = set(`in near into at outside inside across around from`)

// placeNouns before "of X" make X a place ("the city of Izium").
var placeNouns = set(`city town village region province oblast district republic state
country capital port island`)

// descriptionModifiers may stand between "the" and a title head in a
// description of a person named earlier ("the four-star general", "the
// former US Army officer").
var descriptionModifiers = set(`four-star three-star two-star one-star former retired veteran
outgoing top senior deputy assistant defense foreign press prime vice national security chief
counterterrorism military political academic russian american ukrainian us u.s. pentagon army
state department white house kremlin nato un`)

// femaleNames and maleNames are common given names, used only to keep a
// "she" from resolving to a man; unknown names fit any pronoun.
var femaleNames = set(`Laura Ashley Mary Anna Maria Elena Olena Irina Natalia Natalya Olga Ursula
Kamala Hillary Nancy Greta Angela Annalena Marine Giorgia Liz Theresa Victoria Imelda Sarah Jennifer
Linda Susan Karen Lisa Emily Emma Kaja Kristalina Christine Janet Ilhan Alexandria Nikki Tulsi
Margarita Maria Samantha Jill Melania Michelle Helen Catherine Kate Julia Yulia Iryna Oksana
Svetlana Tatiana Sofia Sophia Georgia Elizabeth Ann Anne Jane Karine Sabrina Condoleezza Madeleine Marjorie Lauren`)

var maleNames = set(`Mark Pat Patrick Colin Oleksii Oleksiy Jens Scott Joe Joseph Jake Donald Vladimir
Volodymyr Sergei Sergey Dmitry Dmitri Antony John James Lloyd Boris Emmanuel Olaf Rishi Xi Recep
Viktor Lucas Bill Barack George Ron Mike Michael Ned Matthew Matt David Robert Richard William
Andriy Andrii Valerii Valery Kyrylo Mikhail Alexander Alexei Alexey Yevgeny Ramzan Igor Ivan
Nikolai Nikolay Pavel Pyotr Petro Vitali Vitaly Denys Mykhailo Yuriy Yuri Charles Justin Jean Peter
Paul Steve Steven Tom Thomas Tony Hunter Elon Jeff Chuck Mitch Kevin Lindsey Ted Rand Bernie Chris
Christopher Daniel Jordan Josh Brian Ben Benjamin Nicolas Lula Jair Narendra Shinzo Fumio Kim Ali Hassan`)

// dates are days and months, never names, dropped anywhere in a chunk.
var dates = set(`Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep
Sept Oct Nov Dec`)

// dropAfter are lower-case words that make the name before them part of
// something else ("Minsk agreements", "Ottawa treaty").
var dropAfter = set(`agreement agreements accord accords treaty format protocol convention
process talks doctrine-era era`)
