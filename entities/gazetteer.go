package entities

import (
	"strings"

	"github.com/slant-news/slant"
)

// countryTable lists countries and the names news text uses for them, one a
// line: canonical name; other names; demonym adjectives; plural for the
// people; capitals. The capital is merged into the country because news
// about states uses it for the government ("Washington is considering",
// "weapons for Kiev"): grouping both gives one entity whose role the article
// shapes, which is what the roles task scores. Assembled by the slant team.
const countryTable = `United States;US,U.S.,USA,U.S.A.,America,United States of America,the States;American,US,U.S.;Americans;Washington
Russia;Russian Federation,RF;Russian;Russians;Moscow
Ukraine;the Ukraine;Ukrainian;Ukrainians;Kyiv,Kiev
China;PRC,People's Republic of China;Chinese;Chinese;Beijing
United Kingdom;UK,U.K.,Britain,Great Britain;British;Britons,British;London
Germany;;German;Germans;Berlin
France;;French;French;Paris
Italy;;Italian;Italians;Rome
Spain;;Spanish;Spaniards;Madrid
Poland;;Polish;Poles;Warsaw
Canada;;Canadian;Canadians;Ottawa
Mexico;;Mexican;Mexicans;Mexico City
Brazil;;Brazilian;Brazilians;Brasilia
Argentina;;Argentine,Argentinian;Argentines;Buenos Aires
India;;Indian;Indians;New Delhi
Pakistan;;Pakistani;Pakistanis;Islamabad
Japan;;Japanese;Japanese;Tokyo
South Korea;ROK,Republic of Korea;South Korean;South Koreans;Seoul
North Korea;DPRK;North Korean;North Koreans;Pyongyang
Iran;;Iranian;Iranians;Tehran
Iraq;;Iraqi;Iraqis;Baghdad
Syria;;Syrian;Syrians;Damascus
Libya;;Libyan;Libyans;Tripoli
Israel;;Israeli;Israelis;Tel Aviv,Jerusalem
Palestine;Palestinian territories;Palestinian;Palestinians;Ramallah
Lebanon;;Lebanese;Lebanese;Beirut
Jordan;;Jordanian;Jordanians;Amman
Egypt;;Egyptian;Egyptians;Cairo
Saudi Arabia;;Saudi;Saudis;Riyadh
Yemen;;Yemeni;Yemenis;Sanaa
Qatar;;Qatari;Qataris;Doha
United Arab Emirates;UAE;Emirati;Emiratis;Abu Dhabi
Turkey;Turkiye,Türkiye;Turkish;Turks;Ankara
Greece;;Greek;Greeks;Athens
Afghanistan;;Afghan;Afghans;Kabul
Belarus;;Belarusian;Belarusians;Minsk
Moldova;;Moldovan;Moldovans;Chisinau
Georgia;;Georgian;Georgians;Tbilisi
Armenia;;Armenian;Armenians;Yerevan
Azerbaijan;;Azerbaijani;Azerbaijanis;Baku
Kazakhstan;;Kazakh;Kazakhs;Astana
Hungary;;Hungarian;Hungarians;Budapest
Romania;;Romanian;Romanians;Bucharest
Bulgaria;;Bulgarian;Bulgarians;Sofia
Serbia;;Serbian;Serbs;Belgrade
Croatia;;Croatian;Croats;Zagreb
Slovakia;;Slovak;Slovaks;Bratislava
Czech Republic;Czechia;Czech;Czechs;Prague
Austria;;Austrian;Austrians;Vienna
Switzerland;;Swiss;Swiss;Bern
Netherlands;the Netherlands,Holland;Dutch;Dutch;Amsterdam,The Hague
Belgium;;Belgian;Belgians;Brussels
Denmark;;Danish;Danes;Copenhagen
Norway;;Norwegian;Norwegians;Oslo
Sweden;;Swedish;Swedes;Stockholm
Finland;;Finnish;Finns;Helsinki
Estonia;;Estonian;Estonians;Tallinn
Latvia;;Latvian;Latvians;Riga
Lithuania;;Lithuanian;Lithuanians;Vilnius
Ireland;;Irish;Irish;Dublin
Portugal;;Portuguese;Portuguese;Lisbon
Australia;;Australian;Australians;Canberra
New Zealand;;New Zealander;New Zealanders;Wellington
South Africa;;South African;South Africans;Pretoria
Nigeria;;Nigerian;Nigerians;Abuja
Kenya;;Kenyan;Kenyans;Nairobi
Ethiopia;;Ethiopian;Ethiopians;Addis Ababa
Venezuela;;Venezuelan;Venezuelans;Caracas
Cuba;;Cuban;Cubans;Havana
Colombia;;Colombian;Colombians;Bogota
Chile;;Chilean;Chileans;Santiago
Indonesia;;Indonesian;Indonesians;Jakarta
Vietnam;;Vietnamese;Vietnamese;Hanoi
Thailand;;Thai;Thais;Bangkok
Philippines;the Philippines;Filipino,Philippine;Filipinos;Manila
Taiwan;;Taiwanese;Taiwanese;Taipei
Yugoslavia;;Yugoslav;Yugoslavs;
Soviet Union;USSR,the Soviet Union;Soviet;Soviets;
European Union;EU,E.U.;;Europeans;
Europe;;European;;
Africa;;African;Africans;
Donbass;Donbas;;;
Crimea;;Crimean;Crimeans;
Gaza;Gaza Strip;Gazan;Gazans;
Kharkiv;Kharkov;;;
Izium;Izyum;;;
Bakhmut;Artemovsk;;;
Mariupol;;;;
Kherson;;;;
Zaporizhzhia;Zaporozhye;;;
Donetsk;;;;
Lugansk;Luhansk;;;
Odessa;Odesa;;;
Belgorod;;;;
Voronezh;;;;
Kursk;;;;
Avdiivka;Avdeyevka;;;
Eurasia;;Eurasian;;
Sudan;;Sudanese;Sudanese;Khartoum
South Sudan;;South Sudanese;;Juba
Somalia;;Somali;Somalis;Mogadishu
Eritrea;;Eritrean;Eritreans;Asmara
Chad;;Chadian;Chadians;N'Djamena
Niger;;Nigerien;Nigeriens;Niamey
Mali;;Malian;Malians;Bamako
Burkina Faso;;Burkinabe;;Ouagadougou
Senegal;;Senegalese;Senegalese;Dakar
Ghana;;Ghanaian;Ghanaians;Accra
Ivory Coast;Cote d'Ivoire;Ivorian;Ivorians;Abidjan,Yamoussoukro
Cameroon;;Cameroonian;Cameroonians;Yaounde
Congo;Democratic Republic of the Congo,DRC,DR Congo;Congolese;Congolese;Kinshasa
Uganda;;Ugandan;Ugandans;Kampala
Tanzania;;Tanzanian;Tanzanians;Dodoma
Rwanda;;Rwandan;Rwandans;Kigali
Zimbabwe;;Zimbabwean;Zimbabweans;Harare
Mozambique;;Mozambican;Mozambicans;Maputo
Angola;;Angolan;Angolans;Luanda
Algeria;;Algerian;Algerians;Algiers
Morocco;;Moroccan;Moroccans;Rabat
Tunisia;;Tunisian;Tunisians;Tunis
Bangladesh;;Bangladeshi;Bangladeshis;Dhaka
Sri Lanka;;Sri Lankan;Sri Lankans;Colombo
Nepal;;Nepalese;Nepalis;Kathmandu
Myanmar;Burma;Burmese;;Naypyidaw
Malaysia;;Malaysian;Malaysians;Kuala Lumpur
Singapore;;Singaporean;Singaporeans;
Cambodia;;Cambodian;Cambodians;Phnom Penh
Laos;;Laotian;Laotians;Vientiane
Mongolia;;Mongolian;Mongolians;Ulaanbaatar
Uzbekistan;;Uzbek;Uzbeks;Tashkent
Turkmenistan;;Turkmen;;Ashgabat
Kyrgyzstan;;Kyrgyz;;Bishkek
Tajikistan;;Tajik;Tajiks;Dushanbe
Oman;;Omani;Omanis;Muscat
Kuwait;;Kuwaiti;Kuwaitis;Kuwait City
Bahrain;;Bahraini;Bahrainis;Manama
Peru;;Peruvian;Peruvians;Lima
Ecuador;;Ecuadorian;Ecuadorians;Quito
Bolivia;;Bolivian;Bolivians;La Paz
Paraguay;;Paraguayan;Paraguayans;Asuncion
Uruguay;;Uruguayan;Uruguayans;Montevideo
Nicaragua;;Nicaraguan;Nicaraguans;Managua
Honduras;;Honduran;Hondurans;Tegucigalpa
Guatemala;;Guatemalan;Guatemalans;Guatemala City
El Salvador;;Salvadoran;Salvadorans;San Salvador
Panama;;Panamanian;Panamanians;Panama City
Haiti;;Haitian;Haitians;Port-au-Prince
Iceland;;Icelandic;Icelanders;Reykjavik
Slovenia;;Slovenian;Slovenians;Ljubljana
Bosnia;Bosnia and Herzegovina;Bosnian;Bosnians;Sarajevo
Montenegro;;Montenegrin;;Podgorica
North Macedonia;Macedonia;Macedonian;;Skopje
Albania;;Albanian;Albanians;Tirana
Kosovo;;Kosovar;Kosovars;Pristina
Cyprus;;Cypriot;Cypriots;Nicosia
Malta;;Maltese;;Valletta
Luxembourg;;;;
Abkhazia;;;;
South Ossetia;;;;
Transnistria;;;;
Xinjiang;;;;
Tibet;;Tibetan;Tibetans;Lhasa
Kashmir;;Kashmiri;Kashmiris;
West Bank;;;;
New York City;NYC;;New Yorkers;
Los Angeles;LA;;;
Chicago;;;;
Houston;;;;
Las Vegas;;;;
San Francisco;;;;
Miami;;;;
Boston;;;;
Seattle;;;;
Atlanta;;;;
Dallas;;;;
Philadelphia;;;;
Detroit;;;;
Toronto;;;;
Montreal;;;;
Vancouver;;;;
Sydney;;;;
Melbourne;;;;
Mumbai;Bombay;;;
Shanghai;;;;
Hong Kong;;;;
Istanbul;;;;
Dubai;;;;
St. Petersburg;Saint Petersburg,St Petersburg;;;
Munich;;;;
Frankfurt;;;;
Hamburg;;;;
Milan;;;;
Barcelona;;;;
Lviv;Lvov;;;
Dnipro;;;;
Mykolaiv;;;;
Sevastopol;;;;
Geneva;;;;
Glasgow;;;;
Manchester;;;;
Birmingham;;;;
Alabama;;;;
Alaska;;;;
Arizona;;;;
Arkansas;;;;
California;;Californian;Californians;
Colorado;;;;
Connecticut;;;;
Delaware;;;;
Florida;;;;
Hawaii;;;;
Idaho;;;;
Illinois;;;;
Indiana;;;;
Iowa;;;;
Kansas;;;;
Kentucky;;;;
Louisiana;;;;
Maine;;;;
Maryland;;;;
Massachusetts;;;;
Michigan;;;;
Minnesota;;;;
Mississippi;;;;
Missouri;;;;
Montana;;;;
Nebraska;;;;
Nevada;;;;
New Hampshire;;;;
New Jersey;;;;
New Mexico;;;;
New York;;;;
North Carolina;;;;
North Dakota;;;;
Ohio;;;;
Oklahoma;;;;
Oregon;;;;
Pennsylvania;;;;
Rhode Island;;;;
South Carolina;;;;
South Dakota;;;;
Tennessee;;;;
Texas;;Texan;Texans;
Utah;;;;
Vermont;;;;
Virginia;;;;
Wisconsin;;;;
Wyoming;;;;
Middle East;;;;
Asia;;Asian;Asians;`

// orgTable lists organisations, one a line: canonical name; other names.
// International bodies, government bodies, armed forces, parties, companies
// and media outlets that recur in news on politics, war and climate.
const orgTable = `NATO;Nato,North Atlantic Treaty Organization,North Atlantic Alliance
United Nations;UN,U.N.,the United Nations,UN Security Council,United Nations Security Council,UN General Assembly
UN Human Rights Council;UNHRC,Human Rights Council
UNICEF;
UNHCR;
World Health Organization;
International Criminal Court;ICC
International Court of Justice;ICJ
International Monetary Fund;IMF
World Bank;
World Economic Forum;WEF,Davos
World Trade Organization;WTO
OSCE;Organization for Security and Cooperation in Europe
IAEA;International Atomic Energy Agency
OPEC;
G7;G-7
G20;G-20
BRICS;
European Commission;
European Parliament;
Council of Europe;
International Committee of the Red Cross;ICRC,Red Cross,International Red Cross
Amnesty International;Amnesty
Human Rights Watch;HRW
Greenpeace;
Extinction Rebellion;
Just Stop Oil;
IPCC;Intergovernmental Panel on Climate Change
NOAA;National Oceanic and Atmospheric Administration
NASA;
Environmental Protection Agency;EPA
Federal Reserve;Fed,the Fed
European Central Bank;ECB
CIA;Central Intelligence Agency
FBI;Federal Bureau of Investigation
NSA;National Security Agency
MI6;
SBU;Security Service of Ukraine
FSB;
GRU;
Wagner Group;Wagner,PMC Wagner
Azov;Azov Battalion,Azov Regiment
Hamas;
Hezbollah;
Taliban;
Islamic State;ISIS,ISIL,Daesh
Al Qaeda;al-Qaeda,Al-Qaeda
Pentagon;Department of Defense,Defense Department,DoD,DOD,US Department of Defense
White House;
Kremlin;
State Department;Department of State,US State Department
Congress;US Congress,U.S. Congress
Senate;US Senate
House of Representatives;
Supreme Court;
Joint Chiefs of Staff;Army Joint Chiefs of Staff
US Army;U.S. Army
Air Force;US Air Force,U.S. Air Force
Verkhovna Rada;Rada
State Duma;Duma
Bundestag;
Democratic Party;Democrats
Republican Party;Republicans,GOP
Reuters;
Associated Press;AP
Agence France-Presse;AFP
CBS News;CBS
CNN;
BBC;
NBC News;NBC
ABC News;ABC
Fox News;
MSNBC;
New York Times;NYT,The New York Times
Washington Post;The Washington Post,the Post
Wall Street Journal;WSJ,The Wall Street Journal
The Guardian;Guardian
Financial Times;FT
The Economist;Economist
The Telegraph;Telegraph
Daily Mail;
Bloomberg;
Politico;
Axios;
Newsweek;
Al Jazeera;
RT;Russia Today
Sputnik;
Sputnik Mundo;
TASS;
RIA Novosti;
Interfax;
Kyiv Independent;
Ukrainska Pravda;
Radio Free Europe;RFE/RL,Radio Free Europe/Radio Liberty,RFERL
Breaking Defense;
Defense News;
Twitter;
Telegram;
Facebook;
YouTube;
Google;
Microsoft;
Meta;
Tesla;
Shell;
BP;
ExxonMobil;Exxon
BlackRock;
Raytheon;
Lockheed Martin;
Boeing;
Textron;
Pfizer;
Gazprom;`

// groupTable lists collectives named without a country: canonical name;
// other names.
const groupTable = `the West;West,Western countries,Western nations,Western governments,Western powers,Western allies
neo-Nazis;Neo-Nazis
NGOs;`

// entry is what the gazetteer knows about a surface form.
type entry struct {
	canon string
	kind  string
	// demonym is set for adjectives ("Ukrainian"): they name the country
	// only inside a group phrase ("Ukrainian forces"), never alone.
	demonym bool
	// country is the canonical country name an adjective or capital refers to.
	country string
}

// gazetteer maps a surface form (tokens joined by one space, periods of
// dotted acronyms removed) to its entry.
var gazetteer = map[string]entry{}

// demonymOf maps a canonical country to its adjective, used to name groups
// ("Kiev regime" -> "Ukrainian government").
var demonymOf = map[string]string{}

// maxGazetteerTokens is the longest surface form in tokens.
var maxGazetteerTokens int

func init() {
	add := func(surface string, e entry) {
		surface = strings.TrimSpace(surface)
		if surface == "" {
			return
		}
		for _, form := range surfaceForms(surface) {
			if _, dup := gazetteer[form]; dup && e.demonym {
				continue // "US" is both a name and an adjective: keep the name
			}
			gazetteer[form] = e
			if n := strings.Count(form, " ") + 1; n > maxGazetteerTokens {
				maxGazetteerTokens = n
			}
		}
	}
	for _, line := range strings.Split(countryTable, "\n") {
		f := strings.Split(line, ";")
		for len(f) < 5 {
			f = append(f, "")
		}
		canon := f[0]
		kind := slant.KindPlace
		if canon == "European Union" {
			kind = slant.KindOrganization
		}
		place := entry{canon: canon, kind: kind, country: canon}
		add(canon, place)
		for _, a := range strings.Split(f[1], ",") {
			add(a, place)
		}
		for _, c := range strings.Split(f[4], ",") {
			add(c, place)
		}
		adjs := strings.Split(f[2], ",")
		if adjs[0] != "" {
			demonymOf[canon] = adjs[0]
		}
		for _, d := range adjs {
			add(d, entry{canon: canon, kind: slant.KindPlace, demonym: true, country: canon})
		}
		for _, p := range strings.Split(f[3], ",") {
			// "British", "French": the people's name is the adjective, which
			// is far more often an adjective ("British weapons").
			if p != "" && !strings.Contains(","+f[2]+",", ","+p+",") {
				add(p, entry{canon: p, kind: slant.KindGroup, country: canon})
			}
		}
	}
	for _, line := range strings.Split(orgTable, "\n") {
		f := strings.Split(line, ";")
		e := entry{canon: f[0], kind: slant.KindOrganization}
		add(f[0], e)
		if len(f) > 1 {
			for _, a := range strings.Split(f[1], ",") {
				add(a, e)
			}
		}
	}
	// Party adjectives are like demonyms: "Republican senators" is not a
	// mention of the party.
	for _, a := range []string{"Republican", "Democratic"} {
		gazetteer[a] = entry{canon: a, kind: slant.KindOrganization, demonym: true}
	}
	for _, line := range strings.Split(groupTable, "\n") {
		f := strings.Split(line, ";")
		e := entry{canon: f[0], kind: slant.KindGroup}
		add(f[0], e)
		for _, a := range strings.Split(f[1], ",") {
			add(a, e)
		}
	}
}

// surfaceForms returns the lookup keys of a gazetteer name: without a
// leading "the" (the chunker never includes it) and with dotted acronyms
// undotted.
func surfaceForms(s string) []string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "the "), "The ")
	return []string{normKey(s)}
}

// normKey removes the periods of dotted acronyms ("U.S." -> "US") in each
// word of s, and normalises curly apostrophes.
func normKey(s string) string {
	if !strings.ContainsAny(s, ".’") {
		return s
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		words[i] = normWord(w)
	}
	return strings.Join(words, " ")
}

// normWord undots "U.S." and "U.S" and turns ’ into '.
func normWord(w string) string {
	w = strings.ReplaceAll(w, "’", "'")
	if strings.Count(w, ".") == 0 {
		return w
	}
	parts := strings.Split(strings.TrimSuffix(w, "."), ".")
	for _, p := range parts {
		if len(p) != 1 {
			return strings.TrimSuffix(w, ".")
		}
	}
	return strings.Join(parts, "")
}
