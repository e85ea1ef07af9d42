/**
 * Word lists for invented people and places. Names are common British names drawn at random, so a generated
 * person is nobody in particular; towns and streets are made up; phone numbers come from Ofcom's ranges kept
 * for drama (01632 960xxx, 07700 900xxx), which never ring anyone.
 */

const words = (text: string): readonly string[] => text.split(' ');

/** Given names, by gender. */
export const FEMALE_GIVEN: readonly string[] = words(
  'Olivia Amelia Isla Ava Mia Ivy Lily Sophia Grace Freya Florence Evie Poppy Ella Margaret Susan ' +
    'Patricia Janet Helen Karen Sarah Emma Rachel Joanne Claire Nicola Amina Priya Fatima Zainab ' +
    'Aisha Niamh Siobhan Megan Bethan Chloe Hannah Jessica Dorothy Joan',
);

export const MALE_GIVEN: readonly string[] = words(
  'Oliver George Noah Arthur Leo Muhammad Harry Oscar Archie Henry Theo Jack Freddie Charlie David ' +
    'John Michael Paul Andrew Mark Stephen Peter Richard Christopher James Daniel Thomas Mohammed ' +
    'Arjun Rohan Tomasz Piotr Kwame Emeka Gareth Rhys Callum Liam Kenneth Ronald',
);

export const UNISEX_GIVEN: readonly string[] = words(
  'Alex Sam Charlie Jordan Robin Jamie Morgan Riley Taylor Casey',
);

/** Family names. */
export const FAMILY_NAMES: readonly string[] = words(
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans ' +
    'Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper ' +
    'Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis ' +
    'Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell ' +
    'Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price Anderson Adams Wilkinson ' +
    'Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer Campbell ' +
    'Holmes Mills Rogers Barnes Knight Matthews Barker Nowak Okafor Mensah Kowalski Chen Nguyen',
);

/** Street names and kinds, combined at random. */
export const STREET_NAMES: readonly string[] = words(
  'Larkspur Foxglove Meadowsweet Kingfisher Millbrook Hawthorn Orchard Chestnut Willowmere Beacon ' +
    'Tanners Ropewalk Quarry Sandpiper Bramble Heron Cobbler Lantern Weavers Saxon Juniper Alder ' +
    'Cloverfield Rowan Thistle Falcon Mallard Damson Ferncliffe Goldcrest',
);

export const STREET_KINDS: readonly string[] = words(
  'Road Street Lane Avenue Close Way Drive Gardens Crescent Grove Court Terrace',
);

/** Made-up towns, each with the postcode area and districts its addresses use. */
export const TOWNS: readonly { readonly name: string; readonly area: string; readonly districts: number }[] =
  [
    { name: 'Ashcombe Vale', area: 'EX', districts: 39 },
    { name: 'Brackenford', area: 'LS', districts: 29 },
    { name: 'Cresswick', area: 'NE', districts: 49 },
    { name: 'Dunmere', area: 'BS', districts: 49 },
    { name: 'Elmsworth', area: 'NR', districts: 35 },
    { name: 'Fallowby', area: 'YO', districts: 62 },
    { name: 'Greystowe', area: 'CB', districts: 25 },
    { name: 'Harrowden Marsh', area: 'PE', districts: 38 },
    { name: 'Kettlewick', area: 'DN', districts: 40 },
    { name: 'Lowmoor', area: 'BD', districts: 24 },
    { name: 'Marlstone', area: 'OX', districts: 29 },
    { name: 'Netherby Cross', area: 'CA', districts: 28 },
    { name: 'Oakhurst', area: 'GU', districts: 35 },
    { name: 'Pennick', area: 'TR', districts: 27 },
    { name: 'Ravensholt', area: 'SK', districts: 23 },
    { name: 'Stourleigh', area: 'DY', districts: 14 },
  ];

/** Letters a postcode's inward unit may use (C, I, K, M, O and V never appear there). */
export const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** Specialist services a practice refers to, named after a made-up hospital in the practice's town. */
export const HOSPITAL_KINDS: readonly string[] = [
  'General Hospital',
  'Royal Infirmary',
  'Community Hospital',
  "Children's Hospital",
];
