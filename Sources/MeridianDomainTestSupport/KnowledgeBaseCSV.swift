/// The header line of the knowledge base's CSV import (`meridian kb import`).
public let csvHeader = "country_code,country_name,region,income_group,sectors,programme,start_year,end_year,problem,approach,outcomes,outcome_strength,sources"
