// Strata's query language. Keywords are case-insensitive. Precedence, loosest first:
// OR, AND, NOT, predicates (comparison, BETWEEN, IN, LIKE, IS), + -, * / %, unary minus.
grammar StrataQuery;

options { caseInsensitive = true; }

query
    : selectClause? (WHERE expr | expr)? groupClause? scoreClause? orderClause? limitClause? EOF
    ;

selectClause : SELECT selectItem (COMMA selectItem)* ;
selectItem   : STAR | expr (AS name)? ;

groupClause : GROUP BY expr (COMMA expr)* ;
scoreClause : SET SCORE_FIELD EQ expr ;
orderClause : ORDER BY orderItem (COMMA orderItem)* ;
orderItem   : expr (ASC | DESC)? ;
limitClause : LIMIT limit=INTEGER (OFFSET offset=INTEGER)? ;

expr     : orExpr ;
orExpr   : andExpr ((OR | DOUBLE_PIPE) andExpr)* ;
andExpr  : notExpr ((AND | DOUBLE_AMP) notExpr)* ;
notExpr  : (NOT | BANG) notExpr | predicate ;

predicate : additive predicateTail? ;
predicateTail
    : compareOp additive                                    # compareTail
    | NOT? BETWEEN low=additive AND high=additive           # betweenTail
    | NOT? IN LPAREN expr (COMMA expr)* RPAREN              # inTail
    | NOT? (LIKE | ILIKE) additive                          # likeTail
    | IS NOT? (NULL | MISSING)                              # isTail
    ;
compareOp : EQ | EQEQ | NEQ | LTGT | LT | LE | GT | GE ;

additive       : multiplicative ((PLUS | MINUS) multiplicative)* ;
multiplicative : unary ((STAR | SLASH | PERCENT) unary)* ;
unary          : MINUS unary | primary ;

primary
    : literal                                               # literalPrimary
    | IDENT LPAREN STAR RPAREN                              # starCallPrimary
    | IDENT LPAREN DISTINCT expr RPAREN                     # distinctCallPrimary
    | IDENT LPAREN (expr (COMMA expr)*)? RPAREN             # callPrimary
    | path                                                  # pathPrimary
    | ID_FIELD                                              # idPrimary
    | SCORE_FIELD                                           # scorePrimary
    | LPAREN expr RPAREN                                    # parenPrimary
    ;

path : name (DOT name | LBRACKET INTEGER RBRACKET)* ;
// DATE, TIMESTAMP, MISSING, GROUP and DISTINCT are keywords only where a keyword can stand, so fields may use them.
name : IDENT | BACKTICK_IDENT | DATE | TIMESTAMP | MISSING | GROUP | DISTINCT ;

literal
    : INTEGER                                               # integerLiteral
    | DECIMAL                                               # decimalLiteral
    | STRING                                                # stringLiteral
    | (TRUE | FALSE)                                        # boolLiteral
    | NULL                                                  # nullLiteral
    | DATE STRING                                           # dateLiteral
    | TIMESTAMP STRING                                      # timestampLiteral
    ;

AND       : 'AND' ;
OR        : 'OR' ;
NOT       : 'NOT' ;
BETWEEN   : 'BETWEEN' ;
IN        : 'IN' ;
LIKE      : 'LIKE' ;
ILIKE     : 'ILIKE' ;
IS        : 'IS' ;
NULL      : 'NULL' ;
MISSING   : 'MISSING' ;
TRUE      : 'TRUE' ;
FALSE     : 'FALSE' ;
DATE      : 'DATE' ;
TIMESTAMP : 'TIMESTAMP' ;
ORDER     : 'ORDER' ;
BY        : 'BY' ;
ASC       : 'ASC' ;
DESC      : 'DESC' ;
LIMIT     : 'LIMIT' ;
OFFSET    : 'OFFSET' ;
SET       : 'SET' ;
SELECT    : 'SELECT' ;
WHERE     : 'WHERE' ;
AS        : 'AS' ;
GROUP     : 'GROUP' ;
DISTINCT  : 'DISTINCT' ;
ID_FIELD    : '_ID' ;
SCORE_FIELD : '_SCORE' ;

DOUBLE_PIPE : '||' ;
DOUBLE_AMP  : '&&' ;
BANG     : '!' ;
EQEQ     : '==' ;
EQ       : '=' ;
NEQ      : '!=' ;
LTGT     : '<>' ;
LE       : '<=' ;
GE       : '>=' ;
LT       : '<' ;
GT       : '>' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA    : ',' ;
DOT      : '.' ;

DECIMAL
    : [0-9]+ '.' [0-9]* EXPONENT?
    | '.' [0-9]+ EXPONENT?
    | [0-9]+ EXPONENT
    ;
INTEGER : [0-9]+ ;
fragment EXPONENT : 'E' [+-]? [0-9]+ ;

STRING              : '\'' (~['\\\r\n] | '\\' ~[\r\n] | '\'\'')* '\'' ;
UNTERMINATED_STRING : '\'' (~['\\\r\n] | '\\' ~[\r\n] | '\'\'')* '\\'? ;
BACKTICK_IDENT        : '`' (~[`\r\n] | '``')+ '`' ;
UNTERMINATED_BACKTICK : '`' (~[`\r\n] | '``')* ;

IDENT : [A-Z_] [A-Z_0-9]* ;

WS : [ \t\r\n]+ -> skip ;

ILLEGAL_CHAR : . ;
