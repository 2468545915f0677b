"""Word lists for demo data: British given and family names, streets, businesses."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GIVEN_NAMES_FEMALE = _words("""
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily
Ella Poppy Evie Elsie Charlotte Evelyn Sienna Daisy Phoebe Sophie Harper Ruby Alice Matilda
Millie Jessica Chloe Hannah Lucy Emma Ellie Holly Megan Katie Amy Laura Rebecca Rachel Sarah
Claire Nicola Karen Julie Susan Helen Joanne Elizabeth Margaret Patricia Jennifer Linda Barbara
Mary Anne Jean Janet Gillian Christine Pauline Carol Sandra Diane Maureen Wendy Jacqueline
Louise Victoria Catherine Samantha Kelly Lisa Michelle Natalie Gemma Zoe Abigail Bethany Jade
Leanne Hayley Kerry Stacey Tracey Deborah Dawn Alison Angela Heather Fiona Shirley Brenda
Joan Doreen Irene Sheila Valerie Beryl Joyce Marion Eileen Agnieszka Oksana Priya Aisha Fatima
Niamh Siobhan Rhiannon Carys Bronwen Morag Eilidh Kirsty
""")

GIVEN_NAMES_MALE = _words("""
Oliver George Noah Arthur Muhammad Leo Oscar Harry Archie Jack Henry Charlie Freddie Theodore
Thomas Alfie Jacob William Isaac James Joshua Edward Alexander Max Samuel Daniel Benjamin
Joseph Lucas Ethan Mason Logan Dylan Finley Riley Reuben Toby Sebastian Albert David John
Michael Paul Andrew Mark Richard Peter Robert Stephen Christopher Ian Alan Kevin Gary Martin
Simon Neil Graham Colin Keith Brian Derek Trevor Roger Geoffrey Raymond Kenneth Malcolm
Anthony Philip Stuart Darren Craig Lee Wayne Dean Jason Matthew Adam Luke Ryan Jamie Liam
Nathan Callum Connor Kieran Aaron Jordan Bradley Ashley Gareth Rhys Owen Dafydd Huw Ewan
Angus Hamish Fraser Rory Declan Tomasz Piotr Mohammed Arjun Ravi Dominic Nigel Clive Barry
Terence Dennis Leslie Norman Gordon Stanley Frank Walter Ernest Harold
""")

FAMILY_NAMES = _words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson
Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt
Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur
Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks
West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth
Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter
Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding
Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke
Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman
Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor
Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter
Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard
Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt
Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch
Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood
Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton
Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward Carroll Farrell Howe Fuller Kaye
Lamb Goddard Hale Bloomfield Cubitt Howlett Gotts Bussey Amies Thurston Pegg Kerrison Wegg
Pightling Blyth Spink Loades Sexton Grimes Larter Mallett Seago
""")

TITLES_FEMALE = ("Mrs", "Ms", "Miss", "Dr")
TITLES_MALE = ("Mr", "Mr", "Mr", "Dr")

STREETS = """
Church Lane|High Street|Station Road|Norwich Road|Holt Road|Cromer Road|The Street|Mill Lane
School Lane|Chapel Street|Market Place|Beach Road|Cliff Road|Manor Road|Back Lane|Hall Lane
Garden Street|New Road|Vicarage Road|The Avenue|Park Road|Grove Road|Links Road|Sandy Lane
Common Lane|Priory Road|Green Lane|Jubilee Road|Coronation Road|Victoria Street|Albert Street
Queens Road|Kings Road|Mundesley Road|Overstrand Road|Runton Road|Sheringham Road|Wells Road
Fakenham Road|Walsham Road|Aylsham Road|Yarmouth Road|Hempstead Road|Lower Street|Upper Street
Beeston Road|St Nicholas Court|Abbey Road|Meadow Way|Orchard Close|Rectory Road|Pound Lane
Saxon Way|Poppyland Close|Harbour Road|Quay Street|Staithe Street|Freeman Street|Oak Street
Bridge Street|Norwich Street|Wymans Way|Greenway Lane|Holway Road|Cremer Street|Bernard Road
""".replace("\n", "|").strip("|").split("|")

BUSINESS_KINDS = (
    "Fish Bar", "Bakery", "Builders Ltd", "Tearooms", "Garage", "Hardware", "Holiday Lets",
    "Butchers", "Dental Practice", "Caravan Park", "Estate Agents", "Surgery", "Pharmacy",
    "Crab Company", "Farm Shop", "Guest House", "Hotel", "Brewery", "Antiques", "Plumbing Ltd",
)
PUB_WORDS = (
    ("Red", "Lion"), ("White", "Horse"), ("Black", "Boys"), ("Kings", "Head"),
    ("Feathers", "Inn"), ("Ship", "Inn"), ("Anchor", "Inn"), ("Crown", "Inn"),
    ("Wheatsheaf", "Inn"), ("Chequers", "Inn"),
)
EMAIL_DOMAINS = (
    "gmail.com", "gmail.com", "gmail.com", "hotmail.co.uk", "hotmail.com", "outlook.com",
    "btinternet.com", "btinternet.com", "yahoo.co.uk", "icloud.com", "aol.com", "live.co.uk",
    "sky.com", "talktalk.net", "virginmedia.com",
)
