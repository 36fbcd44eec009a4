#ifndef MERIDIAN_CLIBXML2_SHIM_H
#define MERIDIAN_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlIO.h>

#endif
