"""Names for the demo data: countries weighted as in the real database, clusters, people."""

# Countries weighted roughly as in the real database: mostly European, 48 in all.
COUNTRIES = (
    ["DE"] * 12
    + ["ES"] * 8
    + ["FR"] * 7
    + ["IT"] * 7
    + ["PL"] * 6
    + ["AT"] * 5
    + ["DK"] * 5
    + ["SE"] * 4
    + ["NL"] * 4
    + ["BE"] * 4
    + ["HR"] * 4
    + ["HU"] * 4
    + ["CZ"] * 4
    + ["RO"] * 3
    + ["PT"] * 3
    + ["FI"] * 3
    + ["NO"] * 3
    + ["SI"] * 3
    + ["SK"] * 3
    + ["BG"] * 3
    + ["GR"] * 3
    + ["IE"] * 2
    + ["LT"] * 2
    + ["LV"] * 2
    + ["EE"] * 2
    + ["CH"] * 2
    + ["GB"] * 2
    + ["TR"] * 3
    + ["MX"] * 3
    + ["RS"] * 2
    + ["UA"] * 2
    + ["IS", "LU", "MT", "CY", "MK", "ME", "BA", "AL", "MD", "GE", "AM", "IL", "TN", "MA", "BR", "CO", "CL"]
)
REGIONS = ["North", "South", "East", "West", "Central", "Upper", "Lower", "Greater", "Coastal", "Valley"]
SECTOR_WORDS = {
    "aviation-and-space": ["Aerospace", "Aviation", "Space"],
    "biotechnology": ["Biotech", "Life Sciences", "BioRegion"],
    "construction": ["Construction", "Building", "Timber Construction"],
    "creative-industries": ["Creative", "Design", "Media", "Games"],
    "energy-and-environment": ["Energy", "Cleantech", "Renewables", "Environment"],
    "food-industry": ["Food", "Agrifood", "Wine", "Dairy"],
    "health-and-medical-science": ["Health", "Medtech", "Medical"],
    "ict": ["ICT", "Digital", "Software", "IT"],
    "maritime-water": ["Maritime", "Water", "Blue Economy"],
    "new-materials-and-chemistry": ["Materials", "Chemistry", "Plastics"],
    "production-and-engineering": ["Mechatronics", "Engineering", "Manufacturing"],
    "sports-leisure-tourism": ["Tourism", "Outdoor", "Sports"],
    "transportation-and-mobility": ["Automotive", "Logistics", "Mobility", "Rail"],
}
FORMS = ["Cluster", "Network", "Alliance", "Cluster Initiative", "Innovation Cluster", "Competence Network"]
FIRST_NAMES = ["Anna", "Jan", "Marta", "Luca", "Sofia", "Piotr", "Eva", "Jonas", "Clara", "Mateo", "Ines", "Niels"]
LAST_NAMES = ["Novak", "Berger", "Rossi", "Garcia", "Jensen", "Kowalski", "Dubois", "Horvat", "Silva", "Nagy"]
