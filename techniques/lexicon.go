package techniques

import "strings"

// Lexicon categories. A word can belong to several; they are bits of a mask.
const (
	lexLoaded      = 1 << iota // emotionally charged words
	lexIntensifier             // words that turn the volume up
	lexDoubt                   // hedges and markers that cast doubt
	lexFear                    // threat, danger, death, disaster
	lexFlag                    // nation, patriotism, "our people"
	lexLabel                   // epithets and labels for people and groups
	lexHypocrisy               // hypocrisy, double standards, whataboutism cues
	lexAuthority               // experts, studies, officials, attribution
	lexCausal                  // cause and blame connectives
	lexDilemma                 // either/or, only option, no choice
	lexPopularity              // everyone, the majority, millions
	lexSlogan                  // rallying cries and conversation stoppers
	lexTime                    // urgency: now, before it is too late
	lexExaggerate              // superlatives and absolutes
	lexMinimise                // playing things down
	lexYou                     // second person
	lexWe                      // first person plural
	lexNumLexicons = iota
)

// lexNames name the categories in feature strings and tests.
var lexNames = [lexNumLexicons]string{
	"loaded", "intensifier", "doubt", "fear", "flag", "label", "hypocrisy", "authority",
	"causal", "dilemma", "popularity", "slogan", "time", "exaggerate", "minimise", "you", "we",
}

// lexiconWords maps each category to its single-word entries (lower case).
// The lists are ours: words a careful reader of propaganda research would
// expect to mark each technique, kept short and unambiguous enough that a
// match is a useful signal rather than noise.
var lexiconWords = map[int]string{
	lexLoaded: `abhorrent absurd alarming appalling atrocious atrocity atrocities barbaric barbarism
		betray betrayal betrayed bizarre blatant bloodthirsty bloody brutal brutality brutally
		callous catastrophic chaos chaotic cowardly crazy criminal cruel cruelty
		damn deadly deceitful deceive deplorable depraved desperate despicable destroy destroyed
		destroying destruction devastating devastated diabolical disastrous disgrace disgraceful disgusting dishonest
		draconian egregious evil outrage outraged outrageous horrible horrendous horrific horrifying
		hateful heinous hysteria hysterical idiotic insane insanity lie lies lying ludicrous
		madness malicious massacre menace monstrous nasty nefarious nightmare notorious
		obscene odious pathetic perverse plague poison poisonous propaganda rampant reckless
		repugnant ridiculous rotten ruthless savage scandal scandalous scam scum shameful shameless
		shocking sick sinister slaughter slaughtered stupid terrible terrifying toxic treacherous
		tyranny tyrannical ugly unbelievable unconscionable unhinged vicious vile villain wicked
		wreck wrecked absurdity cabal crusade witch-hunt hoax farce sham mockery demonize demonise
		demonized smear smears onslaught rabid fanatic fanatical zealot grotesque sleazy slimy`,
	lexIntensifier: `very extremely totally absolutely utterly completely entirely really incredibly
		truly deeply highly hugely massively enormously seriously simply so such quite fully
		thoroughly wholly particularly especially remarkably terribly awfully insanely
		literally blatantly openly clearly obviously undeniably indeed`,
	lexDoubt: `allegedly alleged supposedly supposed purportedly purported apparently claim claims
		claimed claiming so-called questionable dubious doubtful doubt doubts suspicious suspect
		unproven unsubstantiated unverified baseless bogus fake false myth narrative pretend
		pretends pretending pretext excuse whether why really perhaps maybe seemingly ostensibly
		conveniently mysteriously somehow cover-up coverup hiding hide hidden secret secretly
		credibility incompetent incompetence failed failure fraud fraudulent`,
	lexFear: `threat threats threaten threatens threatened threatening danger dangers dangerous
		deadly death deaths die dying kill killed killing kills fear fears afraid frightening
		scary terror terrorist terrorism terrorists catastrophe catastrophic disaster disasters
		collapse crisis risk risks risky war wars nuclear bomb bombs attack attacks invasion
		invade chaos doom doomed annihilation extinction genocide pandemic epidemic outbreak
		contagion virus infect infected poison victims victim slaughter destroy destruction
		apocalypse apocalyptic armageddon perish perilous peril endanger jeopardy jeopardize
		warning warn warned alarm emergency escalation escalate unleash`,
	lexFlag: `nation nations national nationalist patriot patriots patriotic patriotism homeland
		motherland fatherland country countrymen compatriots american americans america
		russia russian russians ukraine ukrainian sovereignty sovereign freedom freedoms liberty
		liberties independence heritage constitution founders flag flags troops heroes heroic
		hero proud pride glory glorious brave bravery unity united defend defenders motherland's`,
	lexLabel: `regime regimes terrorist terrorists nazi nazis neo-nazi neo-nazis fascist fascists
		fascism thug thugs traitor traitors puppet puppets radical radicals extremist extremists
		communist communists marxist marxists globalist globalists elite elites elitist leftist
		leftists liberal liberals libtard libtards idiot idiots clown clowns moron morons
		junta criminal criminals corrupt mob mobs tyrant tyrants dictator dictators dictatorship
		warmonger warmongers warmongering propagandist propagandists oligarch oligarchs
		bureaucrat bureaucrats establishment deep-state deep cabal cronies crony henchmen
		stooge stooges lackey lackeys shill shills hack hacks loser losers liar liars crook crooks
		racist racists bigot bigots zealots jihadist jihadists islamist islamists militants
		gang gangs separatists insurgents murderer murderers killers butcher butchers
		snowflake snowflakes sheep sheeple woke antifa rino rinos maga demagogue`,
	lexHypocrisy: `hypocrisy hypocrite hypocrites hypocritical double-standard double-standards
		double-standards whataboutism selective selectively inconsistent irony ironic ironically
		yet meanwhile same preach preaching lecture lecturing sanctimonious`,
	lexAuthority: `according expert experts scientist scientists study studies research researchers
		professor doctor doctors dr official officials spokesman spokeswoman spokesperson report
		reports analyst analysts survey data evidence authority authorities institute university
		academy journal confirmed stated said says told testified`,
	lexCausal: `because therefore thus hence consequently caused causes cause blame blamed blames
		fault result resulted results due thanks responsible led leads trigger triggered fuel
		fueled fuelled behind`,
	lexDilemma: `either only choice choices alternative alternatives must unless otherwise sole
		solely inevitable`,
	lexPopularity: `everyone everybody majority millions most nobody anybody all public polls poll
		popular consensus overwhelming overwhelmingly widely common commonly`,
	lexSlogan: `enough period wake woke rise stand resist fight`,
	lexTime:   `now immediately urgent urgently today tonight soon deadline late hurry`,
	lexExaggerate: `biggest greatest worst best largest most ever never always every all entire
		whole total unprecedented record historic historical massive huge enormous gigantic
		colossal immense countless endless infinite absolute absolutely nothing everything
		millions billions trillions thousands hundreds greatest-ever`,
	lexMinimise: `merely mere just only slight slightly minor tiny trivial negligible barely
		hardly little insignificant`,
	lexYou: `you your yours yourself yourselves`,
	lexWe:  `we our ours us ourselves`,
}

// lexiconPhrases maps each category to multi-word cues, one per line.
// Two-word phrases are matched on adjacent tokens; longer ones on their
// first two words (a good enough cue at a fraction of the cost).
var lexiconPhrases = map[int]string{
	lexHypocrisy: `what about
		double standard
		double standards
		the same people
		never mind
		how come
		turn a blind
		blind eye
		look who`,
	lexDoubt: `so called
		cover up
		no evidence
		no proof
		questions remain`,
	lexFear: `pandora's box
		point of
		no return
		world war
		third world
		mass murder
		ticking time`,
	lexDilemma: `no choice
		no alternative
		only way
		only option
		either way`,
	lexSlogan: `wake up
		end of
		of story
		that's it
		make america
		never again
		stand with
		stop the`,
	lexTime: `right now
		too late
		running out
		before it's
		no time`,
	lexPopularity: `most people
		many people
		everyone knows`,
	lexLabel: `deep state
		fake news
		mainstream media
		terrorist organization
		terrorist organisation`,
	lexCausal: `because of
		due to
		thanks to
		led to
		as a result`,
	lexAuthority: `according to`,
}

// lexicon maps a lower-cased word to its category mask.
var lexicon = buildLexicon()

// phraseLexicon maps "word word" to its category mask.
var phraseLexicon = buildPhrases()

func buildLexicon() map[string]uint32 {
	m := map[string]uint32{}
	for cat, words := range lexiconWords {
		for _, w := range strings.Fields(words) {
			m[w] |= uint32(cat)
		}
	}
	return m
}

func buildPhrases() map[string]uint32 {
	m := map[string]uint32{}
	for cat, lines := range lexiconPhrases {
		for _, line := range strings.Split(lines, "\n") {
			ws := strings.Fields(strings.ToLower(line))
			if len(ws) < 2 {
				continue
			}
			m[ws[0]+" "+ws[1]] |= uint32(cat)
		}
	}
	return m
}

// lexiconOf returns the categories of a lower-cased word.
func lexiconOf(w string) uint32 { return lexicon[w] }
