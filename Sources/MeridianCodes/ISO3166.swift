/// ISO 3166-1 countries, the one table every module of Meridian checks country codes
/// against: exchanges name countries by alpha-3 (`RWA`), IATI files want alpha-2 (`RW`).
///
/// Generated from the Debian iso-codes package (`/usr/share/iso-codes/json/iso_3166-1.json`,
/// 249 countries); each entry is the alpha-3 code followed by the alpha-2 code.
public enum ISO3166 {
    /// Whether `code` is an ISO 3166-1 alpha-3 code (upper case, as ISO writes it).
    public static func isAlpha3(_ code: String) -> Bool { byAlpha3[code] != nil }

    /// Whether `code` is an ISO 3166-1 alpha-2 code (upper case).
    public static func isAlpha2(_ code: String) -> Bool { alpha2Codes.contains(code) }

    /// The alpha-3 code of `code` (given as alpha-2 or alpha-3, any case), or `nil` when
    /// ISO 3166-1 has no such country.
    public static func alpha3(_ code: String) -> String? {
        let upper = code.uppercased()
        switch upper.count {
        case 2: return byAlpha2[upper]
        case 3: return byAlpha3[upper] != nil ? upper : nil
        default: return nil
        }
    }

    /// The alpha-2 code of `code` (given as alpha-2 or alpha-3, any case), or `nil` when
    /// ISO 3166-1 has no such country.
    public static func alpha2(_ code: String) -> String? {
        let upper = code.uppercased()
        switch upper.count {
        case 2: return alpha2Codes.contains(upper) ? upper : nil
        case 3: return byAlpha3[upper]
        default: return nil
        }
    }

    private static let table = """
        ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT AZEAZ BDIBI BELBE BENBJ \
        BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA \
        CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE \
        DJIDJ DMADM DNKDK DOMDO DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB \
        GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY HKGHK HMDHM HNDHN HRVHR \
        HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH \
        KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD \
        MDGMG MDVMV MEXMX MHLMH MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA \
        NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE PHLPH PLWPW PNGPG POLPL \
        PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL \
        SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ \
        TKLTK TKMTM TLSTL TONTO TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG \
        VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW
        """

    private static let byAlpha3: [String: String] = {
        var result: [String: String] = [:]
        for entry in table.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }) where entry.count == 5 {
            result[String(entry.prefix(3))] = String(entry.suffix(2))
        }
        return result
    }()

    private static let alpha2Codes = Set(byAlpha3.values)

    private static let byAlpha2: [String: String] = Dictionary(uniqueKeysWithValues: byAlpha3.map { ($0.value, $0.key) })
}
