"""Starter knowledge base and signposting directory for a new council (`frontdoor seed-knowledge`).

The articles follow the services of the North Norfolk preset; an article whose service the
current council does not have is left out, so other councils get what fits. Running it again
adds only what is missing and never overwrites an article or organisation staff have edited.

Phone numbers and web addresses of other organisations are their published national or
Norfolk contact details at the time of writing: check them before going live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from frontdoor.catalogue.actions import (
    ArticleContent,
    SignpostDetails,
    add_signpost_organisation,
    create_article,
)
from frontdoor.catalogue.models import KnowledgeArticle, SignpostOrganisation
from frontdoor.council.queries import current_council


@dataclass(frozen=True)
class SeedArticle:
    slug: str
    service_code: str
    title: str
    summary: str
    body: str
    what_we_need: tuple[str, ...]
    script: str
    keywords: tuple[str, ...]
    online_form_url: str = ""  # default: the service's form, /services/<code>/


@dataclass(frozen=True)
class SeedOrganisation:
    slug: str
    details: SignpostDetails


@dataclass
class SeedResult:
    articles_created: list[str] = field(default_factory=list)
    articles_kept: int = 0
    articles_not_offered: list[str] = field(default_factory=list)  # service not in council
    organisations_created: list[str] = field(default_factory=list)
    organisations_kept: int = 0


def form_url(service_code: str) -> str:
    return f"/services/{service_code}/"


ARTICLES: tuple[SeedArticle, ...] = (
    SeedArticle(
        slug="pay-council-tax",
        service_code="council-tax",
        title="Pay your Council Tax",
        summary="Ways to pay, Direct Debit dates, and what to do if a payment is missed.",
        body=(
            "The easiest way to pay is by Direct Debit. You can choose to pay on the 1st, "
            "8th, 15th or 22nd of the month, over 10 or 12 months.\n\n"
            "Other ways to pay: online with a debit or credit card, by phone using our "
            "24-hour payment line, or at any Post Office or PayPoint with the barcode on "
            "the bill.\n\n"
            "If a payment is missed we send a reminder. If the customer pays within 7 days "
            "of the reminder they can keep paying by instalments. If they miss again they "
            "lose the right to pay by instalments and the whole year's bill becomes due.\n\n"
            "If the customer says they cannot pay, do not just take a payment: offer a "
            "payment arrangement and check whether they could get Council Tax Support."
        ),
        what_we_need=(
            "Council Tax account number (10 digits, top right of the bill)",
            "Name and address of the property",
            "Bank sort code and account number (Direct Debit only)",
        ),
        script=(
            "I can set up a Direct Debit for you now, it takes about two minutes. Which "
            "date suits you best: the 1st, 8th, 15th or 22nd of the month? You can also pay "
            "online at any time on our website."
        ),
        keywords=("council tax", "pay", "direct debit", "instalments", "reminder", "bill"),
    ),
    SeedArticle(
        slug="council-tax-moving-home",
        service_code="council-tax",
        title="Moving home: tell us for Council Tax",
        summary="A customer moving into, out of or within North Norfolk needs a new bill.",
        body=(
            "Customers must tell us when they move so we can close one account and open "
            "another. They can do it online; the form takes about five minutes.\n\n"
            "Moving out of the district: we send a final bill. Any credit is refunded once "
            "the final bill is paid.\n\n"
            "Moving within the district: we close the old account and open a new one for "
            "the new address. Direct Debits move with them if they ask.\n\n"
            "If a property is left empty, the owner or landlord becomes liable from the "
            "day after the tenant leaves."
        ),
        what_we_need=(
            "Old and new address, with postcodes",
            "Date they moved out and date they moved in",
            "Names of everyone aged 18 or over at the new address",
            "Landlord's or solicitor's name and address (if renting or selling)",
            "A forwarding address for the final bill",
        ),
        script=(
            "Thanks for letting us know. I'll close your account at the old address from the "
            "day you moved and send a final bill to your new address. You can also tell us "
            "online next time."
        ),
        keywords=("moving house", "moving home", "change of address", "final bill", "tenant"),
    ),
    SeedArticle(
        slug="single-person-discount",
        service_code="council-tax-discount",
        title="Single person discount (25% off Council Tax)",
        summary="Anyone who is the only adult living in their home gets 25% off.",
        body=(
            "If only one person aged 18 or over lives in a property, the bill is reduced by "
            "25%. Some people are not counted, for example full-time students, student "
            "nurses, apprentices and people who are severely mentally impaired.\n\n"
            "The discount starts from the date the customer became the only adult. We can "
            "backdate it if they can show when that was.\n\n"
            "We check discounts every year. If someone else moves in the customer must tell "
            "us within 21 days or may have to pay a penalty."
        ),
        what_we_need=(
            "Council Tax account number",
            "The date they became the only adult living there",
            "Why the other person left, and their new address if known",
        ),
        script=(
            "You can get 25% off if you're the only adult living there. I'll apply for it "
            "now from the date the other person moved out, and you'll get a new bill within "
            "about 10 working days."
        ),
        keywords=("single person discount", "discount", "live alone", "25%", "spd"),
    ),
    SeedArticle(
        slug="council-tax-support",
        service_code="council-tax-support",
        title="Council Tax Support for people on a low income",
        summary="Help paying Council Tax for people on benefits or a low wage.",
        body=(
            "Council Tax Support reduces the bill for people on a low income, whether or "
            "not they work. Pensioners are assessed under national rules; working-age "
            "people under our local scheme.\n\n"
            "People who get Universal Credit must still apply to us: Council Tax Support is "
            "not part of Universal Credit.\n\n"
            "Apply as soon as possible. We can only backdate in limited cases, so the date "
            "we receive the claim matters.\n\n"
            "If they are struggling with other bills too, offer to signpost them to free debt "
            "advice."
        ),
        what_we_need=(
            "National Insurance numbers for the customer and their partner",
            "Income: payslips, benefit letters, pensions",
            "Savings and investments",
            "Details of everyone who lives with them",
        ),
        script=(
            "It sounds like you could get help with your Council Tax. The quickest way is to "
            "apply online today; we count your claim from the day we get it. I can help you "
            "through the form now if you'd like."
        ),
        keywords=("council tax support", "council tax reduction", "ctr", "low income",
                  "universal credit", "help paying"),
    ),
    SeedArticle(
        slug="housing-benefit-who-can-claim",
        service_code="housing-benefit",
        title="Housing Benefit: who can still claim",
        summary="Most new working-age claims are Universal Credit; pensioners still claim from us.",
        body=(
            "Most people of working age now get help with rent through Universal Credit "
            "from the Department for Work and Pensions, not Housing Benefit.\n\n"
            "People can still claim Housing Benefit from us if they have reached State "
            "Pension age, or live in supported, sheltered or temporary housing.\n\n"
            "If the customer is of working age and not in those groups, tell them to claim "
            "Universal Credit online and to apply to us for Council Tax Support at the same "
            "time."
        ),
        what_we_need=(
            "Tenancy agreement or rent statement",
            "Proof of income and savings",
            "National Insurance number",
            "Proof of identity",
        ),
        script=(
            "Because you're of pension age you can claim Housing Benefit from us. I'll send "
            "you the link to apply online, and you can bring your documents to our Cromer "
            "office if you'd rather not post them."
        ),
        keywords=("housing benefit", "rent", "universal credit", "pension age",
                  "supported housing"),
    ),
    SeedArticle(
        slug="benefit-change-of-circumstances",
        service_code="housing-benefit",
        title="Tell us about a change in circumstances",
        summary="Changes to income, household or address must be reported straight away.",
        body=(
            "Customers getting Housing Benefit or Council Tax Support must tell us about "
            "changes within one month. Late reporting can mean an overpayment they have to "
            "pay back.\n\n"
            "Common changes: a new job or change of hours, a partner moving in or out, a "
            "child leaving home, a change of address, savings going over the limit.\n\n"
            "If they also get Universal Credit, they must tell the Department for Work and "
            "Pensions as well: we do not pass it on for them."
        ),
        what_we_need=(
            "What changed and the date it changed",
            "Evidence, such as new payslips or a tenancy agreement",
        ),
        script=(
            "Thanks for telling us straight away, that helps avoid an overpayment. I'll "
            "record the change now; we may write to you for evidence."
        ),
        keywords=("change of circumstances", "overpayment", "new job", "partner moved in"),
    ),
    SeedArticle(
        slug="small-business-rate-relief",
        service_code="business-rates",
        title="Small business rate relief",
        summary="Businesses in smaller premises may pay less or no business rates.",
        body=(
            "Businesses whose property has a rateable value below the national threshold "
            "may get small business rate relief. Below the lower limit they pay nothing.\n\n"
            "The business can only get it on one property, with some exceptions for small "
            "additional properties.\n\n"
            "Check the rateable value on the Valuation Office Agency's website before "
            "applying. Rateable value disputes go to the Valuation Office Agency, not to us."
        ),
        what_we_need=(
            "Business rates account number",
            "Address of the property and any other properties the business uses",
            "Date the business started trading there",
        ),
        script=(
            "You may not have to pay business rates at all. I'll send you the link to apply "
            "online; we normally reply within 5 working days."
        ),
        keywords=("business rates", "small business rate relief", "rateable value", "nndr"),
    ),
    SeedArticle(
        slug="homeless-or-at-risk",
        service_code="homelessness",
        title="Someone is homeless or may lose their home",
        summary="Always hand off to Housing Options the same day. Nowhere to stay tonight "
                "is urgent.",
        body=(
            "We have a legal duty to help anyone who is homeless or may become homeless "
            "within 56 days. Do not try to resolve this at first contact: hand it off to "
            "Housing Options with a clear note.\n\n"
            "If they have nowhere safe to stay tonight, tell the Housing Options team "
            "straight away by phone as well as handing off. Out of hours, give them our "
            "emergency number.\n\n"
            "If they are in danger now, or fleeing domestic abuse, they should call 999.\n\n"
            "If they have a notice from their landlord, ask them to keep it and send a "
            "photo: the date on it matters."
        ),
        what_we_need=(
            "Where they are staying tonight and whether it is safe",
            "A phone number we can reach them on today",
            "Who lives with them, including children",
            "Any notice from their landlord (section 21 or section 8) and its date",
            "Any health needs or disabilities",
        ),
        script=(
            "I'm going to pass this to our Housing Options team now so someone can help you. "
            "Is there somewhere safe you can stay tonight? What is the best number to reach "
            "you on today?"
        ),
        keywords=("homeless", "eviction", "section 21", "notice to quit", "nowhere to stay",
                  "sofa surfing", "domestic abuse"),
    ),
    SeedArticle(
        slug="join-housing-list",
        service_code="housing-register",
        title="Join the housing list",
        summary="Apply to the housing register for a home from a housing association.",
        body=(
            "The council does not own homes. Housing associations let their homes through "
            "the housing register, which we run.\n\n"
            "Customers apply online. We check the application and place them in a band "
            "according to their housing need. They then bid for homes they are interested "
            "in each week.\n\n"
            "Waiting times depend on the band and the size and area of home they want; "
            "some areas have very few homes come up each year. Do not promise a time."
        ),
        what_we_need=(
            "Proof of identity and address for everyone on the application",
            "Income and savings",
            "Medical evidence if health affects their housing need",
            "Their address history for the last 5 years",
        ),
        script=(
            "You can apply online and we'll let you know which band you're in. I can't tell "
            "you how long it will take, because that depends on what homes become free."
        ),
        keywords=("housing register", "housing list", "social housing", "housing association",
                  "council house", "bidding"),
    ),
    SeedArticle(
        slug="disabled-facilities-grant",
        service_code="disabled-facilities-grant",
        title="Disabled Facilities Grant: adapting a home",
        summary="Grants for adaptations such as stairlifts, level-access showers and ramps.",
        body=(
            "A Disabled Facilities Grant pays for changes to a home so a disabled person "
            "can keep living there safely, for example a stairlift, a wet room or a ramp.\n\n"
            "An occupational therapist from Norfolk County Council usually assesses the "
            "person's needs first. The grant is means-tested for adults, not for children.\n\n"
            "Owners and tenants can both apply. Tenants need their landlord's permission."
        ),
        what_we_need=(
            "Name of the disabled person and what they find difficult at home",
            "Whether they own or rent the home",
            "Whether an occupational therapist has seen them",
        ),
        script=(
            "The first step is usually an assessment by an occupational therapist. I'll pass "
            "your details to our team so they can talk you through it."
        ),
        keywords=("disabled facilities grant", "dfg", "stairlift", "wet room", "adaptation",
                  "ramp"),
    ),
    SeedArticle(
        slug="missed-bin",
        service_code="missed-bin",
        title="Report a missed bin collection",
        summary="Check the collection day first; report by the end of the next working day.",
        body=(
            "Check the address and collection day first: after a bank holiday collections "
            "often move by one day.\n\n"
            "If the bin was out by 7am on collection day and was not emptied, log it. The "
            "crew will return within 2 working days.\n\n"
            "If the crew left a tag on the bin (for example the wrong things inside, or the "
            "lid was not shut) we will not come back: explain what the tag means.\n\n"
            "If the whole street was missed, say so in the note: it may be a road closure."
        ),
        what_we_need=(
            "Address, with postcode",
            "Which bin: rubbish, recycling, garden or food waste",
            "Whether the bin was out by 7am",
            "Whether a tag was left on the bin",
        ),
        script=(
            "I'm sorry your bin was missed. I've logged it now, and the crew will come back "
            "within 2 working days. Please leave the bin out until then."
        ),
        keywords=("missed bin", "bin not emptied", "collection", "rubbish", "recycling",
                  "bin day"),
    ),
    SeedArticle(
        slug="bulky-waste-collection",
        service_code="bulky-waste",
        title="Book a bulky waste collection",
        summary="We collect large household items such as furniture and white goods for a charge.",
        body=(
            "We collect up to a set number of large items for one charge, for example sofas, "
            "beds, wardrobes, fridges and washing machines.\n\n"
            "We do not collect building rubble, car parts, tyres, asbestos or garden waste "
            "as bulky waste.\n\n"
            "Items must be outside the property, on the customer's land, by 7am on the "
            "collection day. The booking confirmation gives the date.\n\n"
            "Check the current charge on our website before quoting it. Furniture in good "
            "condition could go to a reuse charity instead."
        ),
        what_we_need=(
            "Address, with postcode",
            "A list of the items",
            "Where the items will be left",
            "Payment by debit or credit card",
        ),
        script=(
            "I can book that for you now. What items are there? They'll need to be outside "
            "by 7am on the day, and you'll get a confirmation with the date."
        ),
        keywords=("bulky waste", "sofa", "fridge", "furniture", "mattress", "large items"),
    ),
    SeedArticle(
        slug="garden-waste-subscription",
        service_code="garden-waste",
        title="Garden waste collections: subscribe or renew",
        summary="A yearly subscription for a fortnightly garden bin collection.",
        body=(
            "Garden waste collection is a paid-for service. The subscription runs for 12 "
            "months from the date it starts.\n\n"
            "New customers get a brown garden bin delivered, usually within 10 working days; "
            "collections start after it arrives.\n\n"
            "What goes in: grass cuttings, hedge trimmings, leaves, flowers, small branches. "
            "Not food, soil, rubble or pet waste.\n\n"
            "Customers can renew online; we send a reminder before the subscription ends."
        ),
        what_we_need=(
            "Address, with postcode",
            "How many garden bins they want",
            "Payment by debit or credit card",
        ),
        script=(
            "You can subscribe online and pay by card. We'll deliver your brown bin within "
            "about 10 working days, and collections start after that."
        ),
        keywords=("garden waste", "brown bin", "green waste", "grass", "subscription", "renew"),
    ),
    SeedArticle(
        slug="what-goes-in-recycling",
        service_code="recycling",
        title="What goes in the recycling bin",
        summary="Clean, dry recycling loose in the bin: no bags, no food, no glass in some areas.",
        body=(
            "Put recycling in loose, not in bags. Items should be empty, clean and dry.\n\n"
            "Yes: paper, card, food tins and drinks cans, plastic bottles, pots, tubs and "
            "trays, cartons, glass bottles and jars.\n\n"
            "No: food waste, nappies, textiles, plastic bags and film, polystyrene, "
            "electrical items.\n\n"
            "If the crew finds the wrong things in the bin they leave a tag and do not empty "
            "it. The customer can take out the wrong items and put it out next time."
        ),
        what_we_need=("Address, with postcode (to check the collection day)",),
        script=(
            "Recycling goes in loose, clean and dry. If it helps, I can send you the list "
            "of what goes in each bin."
        ),
        keywords=("recycling", "what goes in", "plastic", "glass", "tagged bin", "contaminated"),
    ),
    SeedArticle(
        slug="new-or-replacement-bin",
        service_code="recycling",
        title="Order a new or replacement bin",
        summary="Bins that are lost, stolen or broken, and bins for new homes.",
        body=(
            "We replace bins that were damaged by the collection crew free of charge. "
            "Lost, stolen or broken bins may have a charge: check the current price.\n\n"
            "Developers pay for the bins for new-build homes.\n\n"
            "Most deliveries are made within 10 working days. Ask the customer to write the "
            "house number on the new bin."
        ),
        what_we_need=(
            "Address, with postcode",
            "Which bin and why it needs replacing",
            "Payment by card if there is a charge",
        ),
        script=(
            "I'll order that for you now. It should arrive within 10 working days. Please "
            "write your house number on it when it comes."
        ),
        keywords=("new bin", "replacement bin", "broken bin", "stolen bin", "lost bin"),
    ),
    SeedArticle(
        slug="report-fly-tipping",
        service_code="fly-tipping",
        title="Report fly-tipping",
        summary="Rubbish dumped on public land or the roadside. Never ask the caller to touch it.",
        body=(
            "We clear fly-tipping from public land and roadsides. On private land the "
            "landowner must clear it, but we can still investigate who dumped it.\n\n"
            "Ask the customer not to touch it, especially needles, drums or anything that "
            "may be asbestos.\n\n"
            "Evidence helps us prosecute: a vehicle registration, a description of the "
            "person, or a photo taken safely.\n\n"
            "Hazardous waste on the road: hand off at once and mark it urgent in the note."
        ),
        what_we_need=(
            "Exact location: road name, nearest house number or landmark, or a map point",
            "What has been dumped and roughly how much",
            "Whether it is blocking a road or path, or looks dangerous",
            "Any evidence of who dumped it",
        ),
        script=(
            "Thank you for reporting this. Please don't touch it. I'll pass it to our "
            "Waste and Environmental Services team now, and you'll get a reference."
        ),
        keywords=("fly-tipping", "flytipping", "dumped rubbish", "fly tipping", "rubbish dumped"),
    ),
    SeedArticle(
        slug="dead-animal-on-road",
        service_code="dead-animal",
        title="Report a dead animal",
        summary="We remove dead animals from public roads and land; pets are scanned for a chip.",
        body=(
            "We remove dead animals from public roads, pavements and council land. We scan "
            "dead cats and dogs for a microchip so owners can be told.\n\n"
            "Dead animals on private land are the landowner's responsibility.\n\n"
            "A dead animal on a fast road such as the A148 or A149 that is a danger to "
            "traffic: tell them to call the police on 999."
        ),
        what_we_need=(
            "Exact location",
            "What kind of animal and roughly how big",
            "Whether it is on the road, the verge or the pavement",
        ),
        script=(
            "I'm sorry you've had to see that. I'll pass it to the team now to remove it. If "
            "it's a cat or dog, we will scan it for a microchip so the owner can be told."
        ),
        keywords=("dead animal", "roadkill", "dead cat", "dead dog", "dead deer", "dead badger"),
    ),
    SeedArticle(
        slug="noise-nuisance",
        service_code="noise-nuisance",
        title="Report noise from a neighbour or business",
        summary="We investigate noise that happens often enough to be a statutory nuisance.",
        body=(
            "We can act on noise that regularly stops someone enjoying their home, such as "
            "loud music, barking dogs, alarms, or noise from pubs and building sites.\n\n"
            "We usually ask the customer to keep a diary for two weeks. We may install "
            "recording equipment.\n\n"
            "We cannot act on everyday living noise, such as doors closing or children "
            "playing, or one-off parties.\n\n"
            "Threats or violence are a police matter: 101, or 999 in an emergency."
        ),
        what_we_need=(
            "The address the noise comes from",
            "What the noise is, when it happens and how long it lasts",
            "How it affects them",
            "Whether they have spoken to the neighbour, if safe to do so",
        ),
        script=(
            "I'm sorry you're dealing with this. I'll pass it to Environmental Health. They "
            "will usually send you a diary sheet to fill in for two weeks, so please note "
            "each time it happens."
        ),
        keywords=("noise", "loud music", "barking dog", "neighbour", "alarm", "party"),
    ),
    SeedArticle(
        slug="pests",
        service_code="pest-control",
        title="Rats, mice, wasps and other pests",
        summary="Advice on pests, and when Environmental Health will investigate.",
        body=(
            "Environmental Health gives advice on pests and investigates where pests are "
            "caused by a neighbouring property, for example rats from accumulated rubbish.\n\n"
            "For treatment inside a customer's own home, they can use a private pest "
            "control company.\n\n"
            "Rats in sewers: Anglian Water. Rats in a council-owned building or public "
            "space: hand off to Environmental Health."
        ),
        what_we_need=(
            "Address where the pests are",
            "What kind of pest and where they have been seen",
            "Whether they come from a neighbouring property",
        ),
        script=(
            "I can give you some advice now, and if the rats seem to be coming from "
            "somewhere else I'll ask Environmental Health to look into it."
        ),
        keywords=("rats", "mice", "wasps", "pests", "cockroaches", "bed bugs"),
    ),
    SeedArticle(
        slug="register-to-vote",
        service_code="electoral-registration",
        title="Register to vote",
        summary="Registration is online and takes 5 minutes; deadlines apply before elections.",
        body=(
            "Anyone aged 16 or over can register, and can vote from 18 in most elections. "
            "They register online on the national website; it takes about 5 minutes.\n\n"
            "The deadline to register for an election is 12 working days before polling "
            "day.\n\n"
            "To check whether someone is already registered, ask Electoral Services: we "
            "cannot confirm registration to a third party.\n\n"
            "Students can register at both home and term-time addresses."
        ),
        what_we_need=(
            "National Insurance number",
            "Date of birth",
            "Address",
        ),
        script=(
            "You can register online in about 5 minutes; you'll need your National Insurance "
            "number. I'll send you the link now."
        ),
        keywords=("register to vote", "electoral register", "electoral roll", "voter",
                  "elections"),
        online_form_url="https://www.gov.uk/register-to-vote",
    ),
    SeedArticle(
        slug="postal-vote",
        service_code="electoral-registration",
        title="Apply for a postal or proxy vote",
        summary="Voters can vote by post or ask someone they trust to vote for them.",
        body=(
            "Anyone registered to vote can apply for a postal vote; they do not need a "
            "reason. A proxy vote (someone votes for them) needs a reason, such as being "
            "away or a disability.\n\n"
            "Applications must reach us by 5pm, 11 working days before polling day for "
            "postal votes, or 6 working days for a proxy.\n\n"
            "Postal vote applications must be renewed every 3 years."
        ),
        what_we_need=(
            "Name and address as on the electoral register",
            "Date of birth and National Insurance number",
            "A signature (for paper forms)",
        ),
        script=(
            "You can apply online for a postal vote. Make sure we get it at least 11 "
            "working days before the election."
        ),
        keywords=("postal vote", "proxy vote", "vote by post", "polling"),
    ),
    SeedArticle(
        slug="car-park-season-ticket",
        service_code="car-park-season-ticket",
        title="Car park season tickets",
        summary="Season tickets cover our pay and display car parks for 1 to 12 months.",
        body=(
            "Season tickets let the holder park in our pay and display car parks without "
            "buying a ticket each time. They are linked to a vehicle registration.\n\n"
            "Customers buy them online. The ticket is virtual: there is nothing to display.\n\n"
            "To change the vehicle registration, the customer updates it online or we can "
            "do it on the phone."
        ),
        what_we_need=(
            "Vehicle registration number",
            "Start date and length of ticket",
            "Payment by debit or credit card",
        ),
        script=(
            "You can buy a season ticket online and it starts on the date you choose. "
            "There's nothing to put on the dashboard: it's linked to your registration."
        ),
        keywords=("car park", "season ticket", "parking permit", "parking"),
    ),
    SeedArticle(
        slug="parking-fine",
        service_code="parking-fine",
        title="Pay or challenge a car park fine",
        summary="Penalty charge notices: pay at the reduced rate within 14 days, or challenge.",
        body=(
            "If the customer pays within 14 days of the notice, the penalty is halved.\n\n"
            "To challenge, they write to us online or by post, giving the penalty charge "
            "notice number and why. If they challenge within 14 days we hold the reduced "
            "rate while we consider it.\n\n"
            "We cannot cancel a fine over the phone. If we reject a challenge, the letter "
            "explains how to appeal to the independent adjudicator."
        ),
        what_we_need=(
            "Penalty charge notice number",
            "Vehicle registration number",
            "Why they think it is wrong, with any photos or tickets",
        ),
        script=(
            "I can't cancel the fine on the phone, but you can challenge it online. If you "
            "do that within 14 days, the lower amount is held while we look at it."
        ),
        keywords=("parking fine", "pcn", "penalty charge notice", "parking ticket",
                  "challenge", "appeal"),
    ),
    SeedArticle(
        slug="beach-huts",
        service_code="beach-huts",
        title="Hire a beach hut or chalet",
        summary="Day, week and season hire at Cromer, Sheringham and Mundesley.",
        body=(
            "We let beach huts and chalets on the seafront at Cromer, Sheringham and "
            "Mundesley by the day, week or season.\n\n"
            "Bookings are online. Season lets are renewed each year; existing holders get a "
            "renewal offer first, and spare huts go to the waiting list.\n\n"
            "Keys are collected from the seafront office. Report damage or a problem with a "
            "hut as a hand-off to the Car Parks and Beach Huts team."
        ),
        what_we_need=(
            "Which resort and dates",
            "Contact details for the booking",
            "Payment by debit or credit card",
        ),
        script=(
            "You can see which huts are free and book online. If you'd like a season let, "
            "I can add you to the waiting list."
        ),
        keywords=("beach hut", "chalet", "seafront", "cromer", "sheringham", "mundesley"),
    ),
    SeedArticle(
        slug="comment-on-planning-application",
        service_code="planning",
        title="Comment on a planning application",
        summary="Anyone can comment online until the consultation date on the application.",
        body=(
            "Anyone can comment on a planning application, for or against. Comments are "
            "published on the website with the commenter's name and address (not phone or "
            "email).\n\n"
            "We can only take account of planning matters, such as overlooking, loss of "
            "light, traffic and the character of the area. Loss of a view or property "
            "values are not planning matters.\n\n"
            "Comments should reach us by the consultation end date shown on the "
            "application."
        ),
        what_we_need=(
            "The planning application reference, such as PF/26/0123",
            "Name and address of the person commenting",
            "Their comments",
        ),
        script=(
            "The best way is to comment online against the application. Your name and "
            "address will be published with your comment, but not your phone number or email."
        ),
        keywords=("planning application", "objection", "comment", "object", "neighbour extension"),
    ),
    SeedArticle(
        slug="taxi-licence",
        service_code="licensing",
        title="Taxi and private hire licences",
        summary="Drivers, vehicles and operators each need a licence from us.",
        body=(
            "Hackney carriage (taxi) and private hire drivers, vehicles and operators must "
            "each be licensed by us.\n\n"
            "New drivers need an enhanced criminal record check, a medical, a knowledge "
            "test and safeguarding training. Applications can take several weeks.\n\n"
            "Complaints about a licensed driver or vehicle are handed off to Licensing."
        ),
        what_we_need=(
            "Licence number (for renewals or complaints)",
            "Vehicle registration",
            "For complaints: date, time, place and what happened",
        ),
        script=(
            "Licensing can help with that. I'll send you the link to the application and "
            "the list of what you'll need."
        ),
        keywords=("taxi", "private hire", "driver licence", "hackney carriage", "licensing"),
    ),
    SeedArticle(
        slug="alcohol-and-entertainment-licence",
        service_code="licensing",
        title="Alcohol, entertainment and temporary event notices",
        summary="Premises licences, personal licences and temporary event notices (TENs).",
        body=(
            "Selling alcohol, providing late-night food or putting on regulated "
            "entertainment needs a premises licence, or for one-off events a temporary "
            "event notice (TEN).\n\n"
            "A TEN must reach us at least 10 working days before the event (5 for a late "
            "TEN). The police and Environmental Health can object.\n\n"
            "A personal licence is needed to authorise alcohol sales."
        ),
        what_we_need=(
            "Premises address and what activities they plan",
            "Event dates and times (TENs)",
            "Payment of the fee",
        ),
        script=(
            "For a one-off event you need a temporary event notice, and it must reach us at "
            "least 10 working days before the event. You can apply online."
        ),
        keywords=("alcohol licence", "premises licence", "temporary event notice", "ten",
                  "personal licence", "entertainment"),
    ),
    SeedArticle(
        slug="report-pothole",
        service_code="potholes",
        title="Potholes and road problems (Norfolk County Council)",
        summary="Norfolk County Council looks after roads and pavements, not the district council.",
        body=(
            "Roads, pavements, potholes, road signs, drains on the road and gritting are "
            "Norfolk County Council's responsibility.\n\n"
            "The quickest way is for the customer to report it on the County Council's "
            "website, where they can put a pin on a map. If they cannot, take the details "
            "and we will pass them on.\n\n"
            "A pothole that is a danger now, or a fallen tree across the road: give them "
            "the County Council's highways number, 0344 800 8020, which is answered 24 hours."
        ),
        what_we_need=(
            "Exact location: road name, nearest house number or landmark",
            "How big and deep the pothole is",
            "Whether it is in the road, the pavement or a cycle path",
        ),
        script=(
            "Roads are looked after by Norfolk County Council. You can report it on their "
            "website with a map, or I can pass it to them for you now."
        ),
        keywords=("pothole", "road", "pavement", "highways", "drain", "gritting"),
        online_form_url="https://www.norfolk.gov.uk/roads-and-transport",
    ),
    SeedArticle(
        slug="street-light-fault",
        service_code="street-lights",
        title="Street light not working",
        summary="Most street lights belong to Norfolk County Council; some to parish councils.",
        body=(
            "Most street lights belong to Norfolk County Council. Some footpath lights "
            "belong to the town or parish council.\n\n"
            "Each light has a number on the post: ask the customer for it, it makes the "
            "report much quicker.\n\n"
            "Exposed wires or a light post that has been hit: this is dangerous, give the "
            "County Council's 24-hour number, 0344 800 8020."
        ),
        what_we_need=(
            "Street name and the number on the lamp post",
            "What is wrong: off, flickering, on all day, damaged",
        ),
        script=(
            "Thanks, street lights are repaired by Norfolk County Council. If you have the "
            "number from the post, I'll pass it to them now."
        ),
        keywords=("street light", "lamp post", "light out", "street lighting"),
        online_form_url="https://www.norfolk.gov.uk/roads-and-transport",
    ),
    SeedArticle(
        slug="make-a-complaint",
        service_code="complaint",
        title="How to make a complaint",
        summary="Log it as a complaint: we acknowledge it and reply within the charter's times.",
        body=(
            "If the customer is unhappy with a service, try to put it right there and then "
            "if you can. If they still want to complain, log a complaint: do not talk them "
            "out of it.\n\n"
            "We acknowledge complaints quickly and respond within the charter's times. If "
            "they are still unhappy after our final reply, they can go to the Local "
            "Government and Social Care Ombudsman.\n\n"
            "A request for a service (such as a missed bin) is not a complaint the first "
            "time: log the request."
        ),
        what_we_need=(
            "What happened and when",
            "What they would like us to do to put it right",
            "How they would like us to reply",
        ),
        script=(
            "I'm sorry you've had this experience. I'll log your complaint now and you'll "
            "get an acknowledgement with your reference number."
        ),
        keywords=("complaint", "complain", "unhappy", "not satisfied", "ombudsman"),
    ),
    SeedArticle(
        slug="find-councillor",
        service_code="find-councillor",
        title="Find your local councillor",
        summary="Look up the ward from the postcode; every ward has one or two councillors.",
        body=(
            "District councillors represent wards. Find the ward from the postcode, then "
            "give the councillor's name and contact details from our website.\n\n"
            "County councillors (Norfolk County Council) and town or parish councillors are "
            "different people: check which one the customer means.\n\n"
            "We do not pass personal phone numbers: use the contact details councillors "
            "publish."
        ),
        what_we_need=("Postcode",),
        script=(
            "Your district councillor for that postcode is listed on our website. I can give "
            "you their email address now."
        ),
        keywords=("councillor", "ward", "member", "county councillor"),
    ),
    SeedArticle(
        slug="freedom-of-information",
        service_code="foi-request",
        title="Freedom of Information requests",
        summary="Anyone can ask for information we hold; we reply within 20 working days.",
        body=(
            "Anyone can ask for recorded information the council holds. They do not need "
            "to say why or mention the Act. The request must be in writing (email, letter "
            "or online form) and give a name and an address to reply to.\n\n"
            "We reply within 20 working days. Some information is exempt, for example "
            "other people's personal data.\n\n"
            "Someone asking for their own personal data is making a subject access request, "
            "not a Freedom of Information request."
        ),
        what_we_need=(
            "A clear description of the information",
            "A name and an email or postal address for the reply",
        ),
        script=(
            "You can make your request in writing, by email or online. We'll reply within "
            "20 working days."
        ),
        keywords=("freedom of information", "foi", "environmental information", "eir"),
    ),
)


ORGANISATIONS: tuple[SeedOrganisation, ...] = (
    SeedOrganisation("north-norfolk-citizens-advice", SignpostDetails(
        name="North Norfolk Citizens Advice",
        help_with="Free, confidential advice on benefits, debt, housing, work, consumer "
                  "problems and family matters. Offices in Cromer and North Walsham.",
        phone="0800 144 8848",
        url="https://www.citizensadvice.org.uk",
        address="Citizens Advice, North Walsham and Cromer (see website for outreach)",
        opening_hours="Adviceline: Monday to Friday, 9am to 5pm",
        area="North Norfolk",
        service_codes=("council-tax-support", "housing-benefit", "homelessness", "council-tax"),
        keywords=("advice", "benefits", "debt", "housing", "employment", "cab"),
    )),
    SeedOrganisation("norfolk-county-council", SignpostDetails(
        name="Norfolk County Council",
        help_with="Roads and pavements, potholes, street lights, adult social care, "
                  "children's services, schools and school transport, libraries, blue "
                  "badges, recycling centres and the Norfolk Assistance Scheme.",
        phone="0344 800 8020",
        email="information@norfolk.gov.uk",
        url="https://www.norfolk.gov.uk",
        address="County Hall, Martineau Lane, Norwich, NR1 2DH",
        opening_hours="Customer service centre: Monday to Friday, 8am to 6pm; highways "
                      "emergencies 24 hours",
        area="Norfolk",
        service_codes=("potholes", "street-lights", "disabled-facilities-grant"),
        keywords=("potholes", "street lights", "social care", "schools", "blue badge",
                  "libraries", "recycling centre", "highways", "children"),
    )),
    SeedOrganisation("shelter-helpline", SignpostDetails(
        name="Shelter emergency helpline",
        help_with="Free housing advice for anyone facing homelessness, eviction or problems "
                  "with a landlord.",
        phone="0808 800 4444",
        url="https://england.shelter.org.uk/get_help",
        opening_hours="Monday to Friday, 8am to 8pm; weekends 9am to 5pm",
        area="England",
        service_codes=("homelessness", "housing-register"),
        keywords=("homeless", "eviction", "landlord", "housing advice", "repairs"),
    )),
    SeedOrganisation("stepchange", SignpostDetails(
        name="StepChange Debt Charity",
        help_with="Free debt advice and debt management plans.",
        phone="0800 138 1111",
        url="https://www.stepchange.org",
        opening_hours="Monday to Friday, 8am to 8pm; Saturday 8am to 4pm",
        area="UK",
        service_codes=("council-tax", "council-tax-support"),
        keywords=("debt", "arrears", "money", "bailiffs", "bills"),
    )),
    SeedOrganisation("moneyhelper", SignpostDetails(
        name="MoneyHelper",
        help_with="Free, impartial help with money and pensions, backed by the government.",
        phone="0800 138 7777",
        url="https://www.moneyhelper.org.uk",
        opening_hours="Monday to Friday, 8am to 6pm",
        area="UK",
        keywords=("money", "pensions", "budgeting", "debt", "savings"),
    )),
    SeedOrganisation("norfolk-community-advice-network", SignpostDetails(
        name="Norfolk Community Advice Network",
        help_with="Finds the right local advice service for benefits, debt, housing and "
                  "legal problems across Norfolk.",
        url="https://www.ncan.co.uk",
        area="Norfolk",
        service_codes=("council-tax-support", "housing-benefit"),
        keywords=("advice", "benefits", "debt", "legal", "ncan"),
    )),
    SeedOrganisation("age-uk-norfolk", SignpostDetails(
        name="Age UK Norfolk",
        help_with="Information and advice for older people and their carers: benefits "
                  "checks, care, befriending and practical help at home.",
        phone="0300 500 1217",
        url="https://www.ageuk.org.uk/norfolk",
        opening_hours="Advice line: Monday to Friday, 9am to 4pm",
        area="Norfolk",
        service_codes=("disabled-facilities-grant", "housing-benefit"),
        keywords=("older people", "elderly", "carers", "pension", "befriending", "lonely"),
    )),
    SeedOrganisation("norfolk-constabulary", SignpostDetails(
        name="Norfolk Constabulary (police, non-emergency)",
        help_with="Crime that is not an emergency, antisocial behaviour, threats, and "
                  "dangerous driving. In an emergency call 999.",
        phone="101",
        url="https://www.norfolk.police.uk",
        opening_hours="24 hours",
        area="Norfolk",
        service_codes=("noise-nuisance", "abandoned-vehicle"),
        keywords=("police", "crime", "antisocial behaviour", "101", "threats"),
    )),
    SeedOrganisation("nhs-111", SignpostDetails(
        name="NHS 111",
        help_with="Urgent medical help or advice that is not an emergency.",
        phone="111",
        url="https://111.nhs.uk",
        opening_hours="24 hours",
        area="England",
        keywords=("health", "medical", "doctor", "nhs", "urgent care"),
    )),
    SeedOrganisation("anglian-water", SignpostDetails(
        name="Anglian Water",
        help_with="Water supply, leaks, sewers and blocked drains that are not on the road, "
                  "water bills and rats in sewers.",
        phone="03457 145 145",
        url="https://www.anglianwater.co.uk",
        opening_hours="Leaks and emergencies: 24 hours",
        area="East of England",
        service_codes=("pest-control",),
        keywords=("water", "leak", "sewer", "drain", "flooding", "water bill"),
    )),
    SeedOrganisation("norfolk-fire-and-rescue", SignpostDetails(
        name="Norfolk Fire and Rescue Service",
        help_with="Free home fire safety visits and smoke alarms for people who are "
                  "vulnerable. In an emergency call 999.",
        phone="0300 123 1669",
        url="https://www.norfolk.gov.uk/safety/norfolk-fire-and-rescue-service",
        area="Norfolk",
        keywords=("fire", "smoke alarm", "fire safety", "home safety visit"),
    )),
    SeedOrganisation("samaritans", SignpostDetails(
        name="Samaritans",
        help_with="Someone to talk to, day or night, for anyone struggling to cope.",
        phone="116 123",
        email="jo@samaritans.org",
        url="https://www.samaritans.org",
        opening_hours="24 hours, every day",
        area="UK and Ireland",
        keywords=("mental health", "suicide", "struggling", "crisis", "talk", "emotional support"),
    )),
    SeedOrganisation("citizens-advice-consumer-helpline", SignpostDetails(
        name="Citizens Advice consumer and energy helpline",
        help_with="Problems with energy suppliers, bills and meters, and with goods and "
                  "services bought from a trader.",
        phone="0808 223 1133",
        url="https://www.citizensadvice.org.uk/consumer/",
        opening_hours="Monday to Friday, 9am to 5pm",
        area="England and Wales",
        keywords=("energy", "gas", "electricity", "consumer", "trader", "faulty goods"),
    )),
    SeedOrganisation("environment-agency-floodline", SignpostDetails(
        name="Environment Agency Floodline",
        help_with="Flood warnings and what to do before, during and after a flood.",
        phone="0345 988 1188",
        url="https://check-for-flooding.service.gov.uk",
        opening_hours="24 hours",
        area="England",
        keywords=("flood", "flooding", "flood warning", "coastal", "sandbags"),
    )),
    SeedOrganisation("leeway-domestic-abuse", SignpostDetails(
        name="Leeway Domestic Abuse Services",
        help_with="Support and safe accommodation for anyone experiencing domestic abuse "
                  "in Norfolk. In an emergency call 999.",
        phone="0300 561 0077",
        url="https://www.leewaysupport.org",
        opening_hours="Helpline: every day, 9am to 8pm",
        area="Norfolk and Suffolk",
        service_codes=("homelessness",),
        keywords=("domestic abuse", "domestic violence", "refuge", "safe", "abuse"),
    )),
)


def seed_knowledge(*, now: datetime) -> SeedResult:
    """Add the starter articles (published) and organisations that are not there yet."""
    result = SeedResult()
    known = {service.code for service in current_council().services}
    existing_articles = set(KnowledgeArticle.objects.values_list("slug", flat=True))
    existing_orgs = set(SignpostOrganisation.objects.values_list("slug", flat=True))
    with transaction.atomic():
        for entry in ARTICLES:
            if entry.slug in existing_articles:
                result.articles_kept += 1
                continue
            if entry.service_code not in known:
                result.articles_not_offered.append(entry.slug)
                continue
            create_article(
                content=ArticleContent(
                    service_code=entry.service_code,
                    title=entry.title,
                    summary=entry.summary,
                    body=entry.body,
                    what_we_need=entry.what_we_need,
                    script=entry.script,
                    online_form_url=entry.online_form_url or form_url(entry.service_code),
                    keywords=entry.keywords,
                ),
                by=None,
                now=now,
                published=True,
                slug=entry.slug,
            )
            result.articles_created.append(entry.slug)
        for org in ORGANISATIONS:
            if org.slug in existing_orgs:
                result.organisations_kept += 1
                continue
            details = org.details
            codes = tuple(code for code in details.service_codes if code in known)
            add_signpost_organisation(
                details=SignpostDetails(**{**details.__dict__, "service_codes": codes}),
                by=None,
                now=now,
                slug=org.slug,
            )
            result.organisations_created.append(org.slug)
    return result
