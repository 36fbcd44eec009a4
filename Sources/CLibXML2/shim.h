#ifndef MERIDIAN_CLIBXML2_SHIM_H
#define MERIDIAN_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/*
 * Debian's libxml2 is built with ICU, so encoding.h would include ICU's headers, whose
 * UErrorCode clashes with the copy inside Foundation (_FoundationICU) in any Swift module
 * that imports both. Swift never touches ICU-specific fields: the only difference is two
 * trailing fields of xmlCharEncodingHandler, which we use by pointer only.
 */
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function pointer, which Swift 6 cannot read safely; call it here. */
static inline void meridian_xml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
